import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Resend connection is, as webhook routing keys, apart from webhooks.ts so the handlers
 * that connect an account load it without the event schema and the REST helpers.
 *
 * Each of the team's domains as connect time kept them (`domain_<n>_id`, verify.ts): events
 * name no team, only the email's sender, whose domain webhooks.ts routes by.
 * https://resend.com/docs/dashboard/webhooks/event-types
 */
export const connectionKeys: ConnectionKeys = ({ metadata }) =>
  routingKeys(
    ...Object.entries(metadata)
      .filter(([k]) => /^domain_\d+_id$/.test(k))
      .map(([, v]) => ['domain', v] as const),
  );
