import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Datadog connection is, as webhook routing keys, apart from webhooks.ts so the
 * handlers that connect an account load it without the alert schema and the record models.
 *
 * What connect time stored: the organization's public id (`org_public_id`, which an alert's
 * `$ORG_PUBLIC_ID` names) and its id (the connection's account, an alert's `$ORG_ID`).
 * https://docs.datadoghq.com/integrations/webhooks/#variables
 */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(['org', metadata.org_public_id], ['account', account.id]);
