import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Linear connection is, as webhook routing keys, apart from webhooks.ts so the
 * handlers that connect an account load it without the payload schemas and record mappings.
 *
 * Connections keep the organization id (`provider_account.id`, `organization_id`), which
 * every webhook payload names as `organizationId`.
 * https://linear.app/developers/webhooks
 */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(['org', metadata.organization_id], ['org', account.id]);
