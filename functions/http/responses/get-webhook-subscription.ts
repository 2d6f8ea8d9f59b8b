import { defineContract } from '../../openapi/contract';
import { subscription } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'Get a webhook subscription',
  success: { status: 200, description: 'The subscription, without its secret.', data: subscription },
});
