import { defineContract } from '../../openapi/contract';
import { integration } from '../../openapi/shapes/integrations';

export const contract = defineContract({
  tag: 'Integrations',
  summary: 'Update an integration',
  description: 'Any field but unique_key and provider; null clears one (a secret, the app, the endpoints).',
  success: { status: 200, description: 'The integration as it is now.', data: integration },
  errors: ['conflict'],
  parameters: { key: "The integration's unique_key." },
});
