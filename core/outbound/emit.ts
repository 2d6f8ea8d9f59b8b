import { newId } from '../platform/ids';
import { logger } from '../platform/log';
import { SETTLE_MS } from '../store/records-repo';
import type { OutboundEvent, OutboundEventType, OutboundMessage } from './events';
import { subscribersOf } from './subscribers';

/** An event to emit: its type, its data, and when it may arrive (see `emitEvent`). */
export type Emission = {
  type: OutboundEventType;
  data: Record<string, unknown>;
  /** `delaySeconds`: sent that much later (an event that must not arrive before the feed shows what it says). */
  options?: { visible?: boolean; delaySeconds?: number };
};

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
  options: Emission['options'] = {},
): Promise<string | undefined> => (await emitEvents(tenantId, [{ type, data, options }]))[0];

/**
 * Emits several events at once, as `emitEvent` each, their delivery messages sent together
 * (ten a `SendMessageBatch`): a provider webhook's `records.changed` and `provider.event`
 * are one SQS request, not two. Each entry SQS refuses is sent again (`sendOutbound`), and
 * what still failed is logged per event. Returns each event's id, in order.
 */
export const emitEvents = async (
  tenantId: string,
  emissions: readonly Emission[],
): Promise<(string | undefined)[]> => {
  try {
    // One after another: the first reads the tenant's subscriptions, the rest hit its cache.
    const subscribers: string[][] = [];
    for (const e of emissions) subscribers.push(await subscribersOf(tenantId, e.type));
    if (subscribers.every((s) => s.length === 0)) return emissions.map(() => undefined);
    // The queue (and the SQS client, ≈ 23 KB) loads only when someone listens: most
    // invocations of the handlers that emit find no subscriber (`npm run bench -- handlers`).
    const { MAX_MESSAGE_BYTES, sendOutbound } = await import('./queue-batch');
    const ids: (string | undefined)[] = [];
    const entries: { message: OutboundMessage; delaySeconds: number }[] = [];
    emissions.forEach(({ type, data, options = {} }, i) => {
      const to = subscribers[i] ?? [];
      if (to.length === 0) {
        ids.push(undefined);
        return;
      }
      const event: OutboundEvent = { id: newId('evt'), type, created_at: new Date().toISOString(), data };
      const messages: OutboundMessage[] = to.map((subscription_id) => ({
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
        ids.push(undefined);
        return;
      }
      // The records feed shows a change a few seconds after it is written (SETTLE_MS): a
      // subscriber reading the feed as soon as it hears of the change must find it there.
      // A sync run announces its changes only once they are visible (`visible`).
      const delaySeconds =
        options.delaySeconds ??
        (type === 'records.changed' && !options.visible ? Math.ceil(SETTLE_MS / 1000) + 1 : 0);
      for (const message of messages) entries.push({ message, delaySeconds });
      ids.push(event.id);
    });
    const failed = entries.length ? await sendOutbound(entries) : [];
    const failedBy = new Map<string, { type: string; n: number }>();
    for (const m of failed) {
      const f = failedBy.get(m.event.id) ?? { type: m.event.type, n: 0 };
      f.n += 1;
      failedBy.set(m.event.id, f);
    }
    for (const [eventId, f] of failedBy) {
      logger.error('outbound event not queued for some subscriptions', {
        tenant_id: tenantId,
        event: f.type,
        event_id: eventId,
        failed: f.n,
      });
    }
    return ids;
  } catch (e) {
    logger.error('outbound event not emitted', {
      tenant_id: tenantId,
      event: emissions.map((x) => x.type).join(','),
      error: `${(e as Error).name}: ${String((e as Error).message).slice(0, 200)}`,
    });
    return emissions.map(() => undefined);
  }
};

/** A change `records.changed` reports. */
export type RecordsChange = {
  connection_id: string;
  sync: string;
  model: string;
  run_id: string | null;
  source: 'sync' | 'webhook' | 'import';
  records: { added: number; updated: number; deleted: number };
};

/**
 * `records.changed` as an emission, or undefined when no record changed: the counts, and
 * where to read the changes (the connection's feed for that model).
 */
export const recordsChanged = (
  change: RecordsChange,
  /**
   * `visible`: the changes are in the feed already, so no delay is needed; `delaySeconds`:
   * they are from then (a run that ended as its last page was stored).
   */
  options: { visible?: boolean; delaySeconds?: number } = {},
): Emission | undefined => {
  const { added, updated, deleted } = change.records;
  if (added + updated + deleted === 0) return undefined;
  return {
    type: 'records.changed',
    data: { ...change, feed: `GET /v1/records?connection_id=${change.connection_id}&model=${change.model}` },
    options,
  };
};

/** `records.changed`, when a sync run or a provider webhook changed any record (`recordsChanged`). */
export const emitRecordsChanged = (
  tenantId: string,
  change: RecordsChange,
  options: { visible?: boolean; delaySeconds?: number } = {},
): Promise<string | undefined> => {
  const e = recordsChanged(change, options);
  return e ? emitEvent(tenantId, e.type, e.data, e.options) : Promise.resolve(undefined);
};
