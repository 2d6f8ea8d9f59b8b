import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who an Azure DevOps connection is, as webhook routing keys — shared by Azure DevOps and
 * Azure Boards, whose service hooks are the same — apart from webhooks.ts and hooks.ts so the
 * handlers that connect an account load it without the payload schemas and mappings.
 *
 * The organization the connection was verified on: its id and name (verify.ts), which a
 * service hook names in `resourceContainers.collection` (id, and baseUrl on newer payloads).
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/events
 */
export const connectionKeys: ConnectionKeys = ({ metadata }) =>
  routingKeys(['org', metadata.organization_id], ['namespace', metadata.organization]);
