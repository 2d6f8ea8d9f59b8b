import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Notion connection is, as webhook routing keys, apart from webhooks.ts so the handlers
 * that connect an account load it without the event schemas and mappings.
 *
 * Connections keep their workspace id (`metadata.workspace_id`: from the OAuth token answer
 * or the bot user; `provider_account.id` when the bot named it): every event names its
 * `workspace_id`.
 * https://developers.notion.com/reference/webhooks-events-delivery
 */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(['workspace', metadata.workspace_id], ['workspace', account.id]);
