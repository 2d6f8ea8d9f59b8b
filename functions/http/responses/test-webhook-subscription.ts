import { defineContract } from '../../openapi/contract';
import { testQueued } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'Send a test event',
  description:
    "Queues a `ping` through the same queue, signing and retries, whatever the subscription's events. 409 when it is disabled.",
  success: { status: 202, description: 'Queued.', data: testQueued },
  errors: ['conflict'],
});
