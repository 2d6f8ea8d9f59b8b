/**
 * Who an Azure Boards connection is, as webhook routing keys: Azure DevOps' (the same
 * organization, verified the same way, named by the same service hooks), apart from
 * webhooks.ts so the handlers that connect an account load it without the work item schemas.
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/events
 */
export { connectionKeys } from '../azure-devops/webhook-keys';
