import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a GitHub connection is, as webhook routing keys, apart from webhooks.ts so the
 * handlers that connect an account load it without the payload schemas and record mappings.
 *
 * What verify stored: an app install's installation_id and its account (a user or the
 * organization that installed the app); an OAuth connection's user. An installation
 * without an account has its installation id as account id: that one is no account.
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#installation
 */
export const connectionKeys: ConnectionKeys = ({ account, metadata }) =>
  routingKeys(
    ['installation', metadata.installation_id],
    ['account', account.id === metadata.installation_id ? undefined : account.id],
    ['login', account.name],
  );
