import type { ConnectionKeys } from '../types';
import { routingKeys } from '../webhook-routing';

/**
 * Who a Jira connection is, as webhook routing keys, apart from webhooks.ts so the handlers
 * that connect an account load it without the payload schemas and record mappings.
 *
 * Connect time stores the site's host (`site`) and, for OAuth, the `cloud_id`: the REST links
 * in a payload are on the site, or on the gateway with the cloud id.
 * https://developer.atlassian.com/cloud/jira/platform/webhooks/
 */
export const connectionKeys: ConnectionKeys = ({ metadata }) =>
  routingKeys(['site', metadata.site], ['cloud', metadata.cloud_id]);
