import { defineContract } from '../../openapi/contract';
import { integration } from '../../openapi/shapes/integrations';

export const contract = defineContract({
  tag: 'Integrations',
  summary: 'Get an integration',
  success: { status: 200, description: 'The integration.', data: integration },
  parameters: { key: "The integration's unique_key." },
});
