import { defineContract } from '../../openapi/contract';
import { subscriptionWithSecret } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: "Rotate a subscription's secret",
  description: 'A new secret, shown this once. The old one keeps signing beside it for 24 h.',
  success: {
    status: 200,
    description: 'The subscription with its new secret.',
    data: subscriptionWithSecret,
  },
  errors: ['conflict'],
});
