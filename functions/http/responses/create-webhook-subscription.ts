import { defineContract } from '../../openapi/contract';
import { subscriptionWithSecret } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'Subscribe a URL to events',
  description:
    'The answer carries the signing `secret`, shown this once. URLs must be https and public. At most 20 subscriptions per tenant.',
  success: { status: 201, description: 'Created.', data: subscriptionWithSecret },
});
