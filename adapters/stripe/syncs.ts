import * as z from 'zod/mini';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { mapObject, objectOf, type SyncName } from './mapping';
import { get, listOf } from './rest';

/**
 * Stripe's syncs. A full run walks the list endpoint, newest first, 100 a page, following
 * `starting_after` (the last id of the page) while `has_more`; the engine marks deleted what a
 * full run no longer sees (deleted customers and draft invoices leave their list).
 * https://docs.stripe.com/api/pagination
 *
 * Incremental runs are honest about what Stripe offers: its lists filter on `created` only,
 * which says nothing about what changed since — a subscription cancelled today was created
 * months ago. What Stripe documents for changes is the Events API: `GET /v1/events` with the
 * sync's event `types[]` and `created[gte]` = the last successful run (less the engine's
 * overlap), each event carrying the object as it was then. Events are newest first, so the
 * first event of an object in a run is its latest state: older ones are skipped (the ids seen
 * travel in the checkpoint). `customer.deleted` and `invoice.deleted` delete the record;
 * `customer.subscription.deleted` is a cancellation (the subscription stays, `canceled`).
 * https://docs.stripe.com/api/events/list
 *
 * Stripe keeps events 30 days: a run whose `since` is older, or one that meets more changed
 * objects than the checkpoint should carry, starts a full listing instead (`resync`), so
 * deletions are still found by the engine.
 */

const PAGE_SIZE = 100;
/** Events are listed for 30 days; an hour of margin for the clocks. https://docs.stripe.com/api/events */
const EVENTS_KEPT_MS = 30 * 86_400_000 - 3_600_000;
/** Object ids a checkpoint carries at most (≈ 30 bytes each, far under DynamoDB's 400 KB item). */
const MAX_SEEN = 5_000;

const paths: Record<SyncName, { path: string; params: Record<string, string>; call: string }> = {
  // https://docs.stripe.com/api/customers/list
  customers: { path: '/v1/customers', params: {}, call: 'GET /v1/customers' },
  // https://docs.stripe.com/api/subscriptions/list — without `status`, cancelled ones are left out.
  subscriptions: { path: '/v1/subscriptions', params: { status: 'all' }, call: 'GET /v1/subscriptions' },
  // https://docs.stripe.com/api/invoices/list — every status when none is given.
  invoices: { path: '/v1/invoices', params: {}, call: 'GET /v1/invoices' },
};

/** The event types that change each sync's objects. https://docs.stripe.com/api/events/types */
export const eventTypes: Record<SyncName, readonly string[]> = {
  customers: ['customer.created', 'customer.updated', 'customer.deleted'],
  subscriptions: [
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.paused',
    'customer.subscription.resumed',
    'customer.subscription.pending_update_applied',
    'customer.subscription.pending_update_expired',
    'customer.subscription.trial_will_end',
  ],
  invoices: [
    'invoice.created',
    'invoice.updated',
    'invoice.deleted',
    'invoice.finalized',
    'invoice.finalization_failed',
    'invoice.paid',
    'invoice.payment_succeeded',
    'invoice.payment_failed',
    'invoice.payment_action_required',
    'invoice.sent',
    'invoice.voided',
    'invoice.marked_uncollectible',
    'invoice.overdue',
    'invoice.will_be_due',
  ],
};

/** Events whose object is gone for good (a deleted customer, a deleted draft invoice). */
export const deletes = (eventType: string): boolean =>
  eventType === 'customer.deleted' || eventType === 'invoice.deleted';

const listCheckpoint = z.object({ after: z.string().check(z.minLength(1)) });
const eventsCheckpoint = z.object({
  events: z.object({ after: z.optional(z.string().check(z.minLength(1))), seen: z.array(z.string()) }),
});

const withId = z.looseObject({ id: z.string() });
const listPage = listOf(withId);

const fetchList = async (ctx: SyncContext, name: SyncName, after: string | undefined): Promise<SyncPage> => {
  const { path, params, call } = paths[name];
  const q = new URLSearchParams({ ...params, limit: String(PAGE_SIZE) });
  if (after) q.set('starting_after', after);
  const page = await get(ctx, path, q, listPage, call);
  const records = page.data.map((o) => mapObject(name, o));
  const last = page.data.at(-1)?.id;
  return page.has_more && last ? { records, next: { after: last } } : { records };
};

// https://docs.stripe.com/api/events/object
const event = z.object({
  id: z.string(),
  type: z.string(),
  created: z.int(),
  // An object without an id (a draft of a coming invoice) is no record: skipped.
  data: z.object({ object: z.looseObject({ id: z.optional(z.string()), object: z.optional(z.string()) }) }),
});
const eventsPage = listOf(event);

const fetchEvents = async (
  ctx: SyncContext,
  name: SyncName,
  since: string,
  state: { after?: string | undefined; seen: string[] },
): Promise<SyncPage> => {
  const q = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const t of eventTypes[name]) q.append('types[]', t);
  q.set('created[gte]', String(Math.floor(Date.parse(since) / 1000)));
  if (state.after) q.set('starting_after', state.after);
  const page = await get(ctx, '/v1/events', q, eventsPage, 'GET /v1/events');
  const seen = new Set(state.seen);
  const records: SyncPage['records'] = [];
  const deletedIds: string[] = [];
  for (const e of page.data) {
    const id = e.data.object.id;
    // Newest first: an object met again is an older state of it.
    if (id === undefined || seen.has(id)) continue;
    if (e.data.object.object !== objectOf[name]) continue;
    seen.add(id);
    if (deletes(e.type)) {
      deletedIds.push(id);
      continue;
    }
    records.push(mapObject(name, e.data.object));
  }
  const last = page.data.at(-1)?.id;
  if (!page.has_more || !last) return { records, deletedIds };
  if (seen.size > MAX_SEEN) return { ...(await fetchList(ctx, name, undefined)), resync: true };
  return { records, deletedIds, next: { events: { after: last, seen: [...seen] } } };
};

const fetchPage =
  (name: SyncName) =>
  async (ctx: SyncContext): Promise<SyncPage> => {
    const list = listCheckpoint.safeParse(ctx.checkpoint).data;
    if (list) return fetchList(ctx, name, list.after);
    const events = eventsCheckpoint.safeParse(ctx.checkpoint).data;
    if (ctx.mode === 'incremental' && ctx.since !== undefined) {
      // Past what Stripe keeps: only a full listing knows what changed.
      if (Date.now() - Date.parse(ctx.since) > EVENTS_KEPT_MS)
        return { ...(await fetchList(ctx, name, undefined)), resync: true };
      return fetchEvents(ctx, name, ctx.since, events?.events ?? { seen: [] });
    }
    return fetchList(ctx, name, undefined);
  };

export const syncs: SyncsOf<typeof manifest> = {
  customers: fetchPage('customers'),
  subscriptions: fetchPage('subscriptions'),
  invoices: fetchPage('invoices'),
};
