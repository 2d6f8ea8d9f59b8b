import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Stripe connection is, as webhook routing keys, apart from webhooks.ts so the handlers
 * that connect an account load it without the event schema and the record mappings.
 */

/**
 * An event names no account when it is the endpoint owner's own: its `account` is set only on
 * events of connected accounts (a Connect endpoint). Such an event is for the connections made
 * with that account's own key — the account whose endpoint (and signing secret) the
 * integration holds. One integration, one Stripe account's endpoint: connect a second account
 * by key under an integration of its own, or its events would reach both.
 * https://docs.stripe.com/connect/webhooks
 */
export const ENDPOINT_OWNER = 'endpoint_owner';

/** What verify stored: the account, and how it was connected (`auth`). */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(
    ['account', metadata.account_id ?? account.id],
    ['account', metadata.auth === 'api_key' ? ENDPOINT_OWNER : undefined],
  );
