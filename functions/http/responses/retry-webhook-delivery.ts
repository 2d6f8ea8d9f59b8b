import { defineContract } from '../../openapi/contract';
import { retryQueued } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Webhook subscriptions',
  summary: 'Replay a dead delivery',
  description:
    'A delivery that ended `dead` or `failed`, as a new delivery of the same event. Anything else is 404.',
  success: { status: 202, description: 'Queued.', data: retryQueued },
  errors: ['conflict'],
});
