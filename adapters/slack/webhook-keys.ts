import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Slack connection is, as webhook routing keys, apart from webhooks.ts so the handlers
 * that connect an account load it without the payload schemas and record mappings.
 *
 * What connect time keeps: the workspace (`team_id`, also the account id) and its grid.
 * https://docs.slack.dev/apis/events-api/#callback-field
 */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(['team', metadata.team_id], ['team', account.id], ['enterprise', metadata.enterprise_id]);
