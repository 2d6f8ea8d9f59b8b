import { defineContract } from '../../openapi/contract';
import { providerEventList } from '../../openapi/shapes/webhooks';

export const contract = defineContract({
  tag: 'Integrations',
  summary: "List an integration's unused provider webhook events",
  description:
    'Provider events that no connection matched (`unrouted`) or that failed to apply (`failed`), newest first, kept 7 days.',
  success: { status: 200, description: 'A page of events.', data: providerEventList },
  parameters: { key: "The integration's unique_key.", status: 'Only `unrouted` or only `failed` events.' },
});
