/**
 * Azure DevOps signs in with Microsoft Entra ID: the same v2.0 token endpoint, form POST and
 * `scope` (with `offline_access`) on both grants as Microsoft Teams, only with the Azure DevOps
 * resource's scope (`499b84ac-1321-427f-aa17-267ca6975798/.default`, the manifest's). Imported,
 * not copied, so a fix to Entra's token handling reaches both. (Azure DevOps OAuth 2.0 apps on
 * app.vssps.visualstudio.com are deprecated for new registrations.)
 * https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth
 */
export { oauth } from '../microsoft-teams/oauth';
