import { getIntegration } from '../integrations/read';
import { readPage, scopeOf } from '../platform/paging';
import * as repo from '../store/webhook-events-repo';

/** The webhook events log of an integration: events kept because they were unrouted or failed. */
export const listWebhookEvents = async (
  tenantId: string,
  key: string,
  status: 'unrouted' | 'failed' | undefined,
  page: { limit: number; cursor?: string | undefined },
) => {
  await getIntegration(tenantId, key); // 404 for an unknown (or another tenant's) integration
  const { items, next_cursor } = await readPage(
    tenantId,
    scopeOf('webhook-events', { key, status }),
    page,
    (limit, start) => repo.listWebhookEvents(tenantId, key, status, limit, start),
  );
  return { webhook_events: items, next_cursor };
};
