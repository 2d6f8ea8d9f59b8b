import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Figma connection is, as webhook routing keys, apart from webhooks.ts so the handlers
 * that connect an account load it without the event schemas and mappings.
 *
 * Each team of the connection's config as connect time kept them (`team_<n>_id`, verify.ts):
 * the team a webhook's passcode names (see webhooks.ts).
 * https://developers.figma.com/docs/rest-api/webhooks/
 */
export const connectionKeys: ConnectionKeys = ({ metadata }) =>
  routingKeys(
    ...Object.entries(metadata)
      .filter(([k]) => /^team_\d+_id$/.test(k))
      .map(([, v]) => ['team', v] as const),
  );
