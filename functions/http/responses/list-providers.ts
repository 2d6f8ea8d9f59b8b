import { defineContract } from '../../openapi/contract';
import { providerList } from '../../openapi/shapes/providers';

export const contract = defineContract({
  tag: 'Providers',
  summary: 'List providers',
  description: 'The catalog: what the adapters declare, the same for every tenant. Curated providers first.',
  success: { status: 200, description: 'A page of providers.', data: providerList },
  parameters: {
    search: 'Matches names, categories, syncs, models and tools.',
    category: 'One category.',
    capability: 'A capability kind (`syncs`, `actions`, `webhooks`, `csv_import`), an auth mode, or a model.',
  },
});
