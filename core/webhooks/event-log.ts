import { getIntegration } from '../integrations/read';
import { cursorFrom, scopeOf, startKeyFrom } from '../platform/paging';
import * as repo from '../store/webhook-events-repo';

/** The webhook events log of an integration: events kept because they were unrouted or failed. */
export const listWebhookEvents = async (
  tenantId: string,
  key: string,
  status: 'unrouted' | 'failed' | undefined,
  page: { limit: number; cursor?: string | undefined },
) => {
  await getIntegration(tenantId, key); // 404 for an unknown (or another tenant's) integration
  const scope = scopeOf('webhook-events', { key, status });
  const r = await repo.listWebhookEvents(
    tenantId,
    key,
    status,
    page.limit,
    await startKeyFrom(tenantId, scope, page.cursor),
  );
  return { webhook_events: r.items, next_cursor: await cursorFrom(tenantId, scope, r.nextKey) };
};
