import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who an Outlook connection is, as webhook routing keys, apart from webhooks.ts so the
 * handlers that connect an account load it without the notification schemas and mappings.
 *
 * The account is the Graph user (`GET /me` id), whose id a change's resource path names
 * (`Users/{id}/Messages/{id}`); `tenant_id` as the Teams verification keeps it, for
 * lifecycle notifications, which name only the tenant.
 * https://learn.microsoft.com/en-us/graph/outlook-change-notifications-overview
 */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(['user', account.id], ['tenant', metadata.tenant_id]);
