import { newId } from '../platform/ids';
import { logger } from '../platform/log';
import { SETTLE_MS } from '../store/records-repo';
import type { OutboundEvent, OutboundEventType, OutboundMessage } from './events';
import { subscribersOf } from './subscribers';

/**
 * Emits an event to the tenant's webhook subscriptions: one delivery message per
 * subscription to `type` on the outbound queue; the outbound worker signs and POSTs it.
 * Cheap when nobody listens (one cached Query, nothing queued), and it never throws: the
 * operation that emits (a sync, a new connection) must not fail because of its webhooks —
 * a failure is logged and the operation goes on.
 *
 * Returns the event's id when it was queued for at least one subscription.
 */
export const emitEvent = async (
  tenantId: string,
  type: OutboundEventType,
  data: Record<string, unknown>,
  /** `delaySeconds`: sent that much later (an event that must not arrive before the feed shows what it says). */
  options: { visible?: boolean; delaySeconds?: number } = {},
): Promise<string | undefined> => {
  try {
    const subscribers = await subscribersOf(tenantId, type);
    if (subscribers.length === 0) return undefined;
    // The queue (and the SQS client, ≈ 23 KB) loads only when someone listens: most
    // invocations of the handlers that emit find no subscriber (`npm run bench -- handlers`).
    const { MAX_MESSAGE_BYTES, sendOutbound } = await import('./queue');
    const event: OutboundEvent = { id: newId('evt'), type, created_at: new Date().toISOString(), data };
    const messages: OutboundMessage[] = subscribers.map((subscription_id) => ({
      tenant_id: tenantId,
      subscription_id,
      event,
      attempt: 1,
    }));
    const bytes = Buffer.byteLength(JSON.stringify(messages[0]), 'utf8');
    if (bytes > MAX_MESSAGE_BYTES) {
      logger.error('outbound event too large to queue; not emitted', {
        tenant_id: tenantId,
        event: type,
        bytes,
      });
      return undefined;
    }
    // The records feed shows a change a few seconds after it is written (SETTLE_MS): a
    // subscriber reading the feed as soon as it hears of the change must find it there.
    // A sync run announces its changes only once they are visible (`visible`).
    const delaySeconds =
      options.delaySeconds ??
      (type === 'records.changed' && !options.visible ? Math.ceil(SETTLE_MS / 1000) + 1 : 0);
    const failed = await sendOutbound(messages, delaySeconds);
    if (failed > 0) {
      logger.error('outbound event not queued for some subscriptions', {
        tenant_id: tenantId,
        event: type,
        event_id: event.id,
        failed,
      });
    }
    return event.id;
  } catch (e) {
    logger.error('outbound event not emitted', {
      tenant_id: tenantId,
      event: type,
      error: `${(e as Error).name}: ${String((e as Error).message).slice(0, 200)}`,
    });
    return undefined;
  }
};

/**
 * `records.changed`, when a sync run or a provider webhook changed any record: the counts,
 * and where to read the changes (the connection's feed for that model).
 */
export const emitRecordsChanged = (
  tenantId: string,
  change: {
    connection_id: string;
    sync: string;
    model: string;
    run_id: string | null;
    source: 'sync' | 'webhook' | 'import';
    records: { added: number; updated: number; deleted: number };
  },
  /**
   * `visible`: the changes are in the feed already, so no delay is needed; `delaySeconds`:
   * they are from then (a run that ended as its last page was stored).
   */
  options: { visible?: boolean; delaySeconds?: number } = {},
): Promise<string | undefined> => {
  const { added, updated, deleted } = change.records;
  if (added + updated + deleted === 0) return Promise.resolve(undefined);
  return emitEvent(
    tenantId,
    'records.changed',
    { ...change, feed: `GET /v1/records?connection_id=${change.connection_id}&model=${change.model}` },
    options,
  );
};
