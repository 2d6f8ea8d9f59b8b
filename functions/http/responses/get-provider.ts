import { defineContract } from '../../openapi/contract';
import { providerDetail } from '../../openapi/shapes/providers';

export const contract = defineContract({
  tag: 'Providers',
  summary: 'Get a provider',
  description:
    'One provider in detail: auth modes and credential fields, config schema, syncs, actions with their input schemas, webhooks.',
  success: { status: 200, description: 'The provider.', data: providerDetail },
  errors: ['unknown_provider'],
  except: ['not_found'],
});
