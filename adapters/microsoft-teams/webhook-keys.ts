import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Microsoft Teams connection is, as webhook routing keys, apart from webhooks.ts so the
 * handlers that connect an account load it without the notification schemas and the syncs.
 *
 * Connections keep their Entra tenant as `tenant_id` (none for a personal Microsoft account):
 * every change notification item names its `tenantId`.
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 */
export const connectionKeys: ConnectionKeys = ({ metadata }) => routingKeys(['tenant', metadata.tenant_id]);
