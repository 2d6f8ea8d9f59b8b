import { defineContract } from '../../openapi/contract';
import { subscription } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'Update a webhook subscription',
  description: '`url`, `events`, `enabled`.',
  success: { status: 200, description: 'The subscription as it is now.', data: subscription },
});
