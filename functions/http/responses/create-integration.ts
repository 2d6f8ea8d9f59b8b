import { defineContract } from '../../openapi/contract';
import { integration } from '../../openapi/shapes/integrations';

export const contract = defineContract({
  tag: 'Integrations',
  summary: 'Create an integration',
  description:
    "Your configuration of a provider. Secrets (`oauth_client_secret`, `webhook_secret`, `app.private_key`) go to Secrets Manager and are never returned. `endpoints` may point only at the provider's own domains or hosts the operator allow-lists.",
  success: { status: 201, description: 'Created.', data: integration },
  errors: ['unknown_provider', 'conflict'],
});
