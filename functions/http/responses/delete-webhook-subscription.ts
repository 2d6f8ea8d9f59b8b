import { defineContract } from '../../openapi/contract';
import { subscriptionDeleted } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'Delete a webhook subscription',
  description: 'Deliveries under way are dropped.',
  success: { status: 200, description: 'Deleted.', data: subscriptionDeleted },
});
