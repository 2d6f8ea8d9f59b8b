import { defineContract } from '../../openapi/contract';
import { subscriptionList } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'List webhook subscriptions',
  success: { status: 200, description: 'A page of subscriptions, without secrets.', data: subscriptionList },
});
