import { defineContract } from '../../openapi/contract';
import { integrationList } from '../../openapi/shapes/integrations';

export const contract = defineContract({
  tag: 'Integrations',
  summary: 'List integrations',
  success: {
    status: 200,
    description: 'A page of integrations, each with its connection_count.',
    data: integrationList,
  },
});
