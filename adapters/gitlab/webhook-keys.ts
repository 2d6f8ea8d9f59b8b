import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a GitLab connection is, as webhook routing keys, apart from webhooks.ts so the
 * handlers that connect an account load it without the payload schemas and record mappings.
 *
 * The user (id, username), whose personal namespace is its username: a personal project's
 * events name it as the first part of `path_with_namespace`.
 * https://docs.gitlab.com/user/project/integrations/webhook_events/
 */
export const connectionKeys: ConnectionKeys = ({ account }) =>
  routingKeys(['user', account.id], ['login', account.name], ['namespace', account.name]);
