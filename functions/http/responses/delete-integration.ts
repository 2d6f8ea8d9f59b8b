import { defineContract } from '../../openapi/contract';
import { integrationDeleted } from '../../openapi/shapes/integrations';

export const contract = defineContract({
  tag: 'Integrations',
  summary: 'Delete an integration',
  description: 'With its connections, their credentials, and its secrets.',
  success: { status: 200, description: 'Deleted.', data: integrationDeleted },
  parameters: { key: "The integration's unique_key." },
});
