// The connection config (the manifest's `config`): Azure Boards works in an Azure DevOps
// organization's projects, so its config is Azure DevOps' own (organization, projects), as
// its credentials and hooks are — one declaration, not a copy that could drift.
export { config, project } from '../azure-devops/config';
