import { defineContract } from '../../openapi/contract';
import { deliveryList } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: "List a subscription's delivery attempts",
  description: 'Every attempt, newest first, kept 30 days.',
  success: { status: 200, description: 'A page of attempts.', data: deliveryList },
});
