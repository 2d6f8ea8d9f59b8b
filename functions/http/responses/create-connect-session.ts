import { defineContract } from '../../openapi/contract';
import { connectSession } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connect',
  summary: 'Create a connect session',
  description:
    "An `auth_url` to send the end user to: OAuth2 or an app install, bound to the browser that opens it, with PKCE where the provider supports it. `redirect_url` must be on your settings' allow-list. With `connection_id` the session re-authorises that connection (the end user's, of this integration: else 404 / 422); while it is open, a connection that is not `active` reads `pending_auth`.",
  success: { status: 201, description: 'The session.', data: connectSession },
  errors: ['integration_not_configured', 'forbidden', 'not_found'],
});
