import { loadAdapter } from '../../adapters';
import type { WebhookEffect } from '../../adapters/types';
import { transition } from '../connections/status';
import { type Emission, emitEvents, recordsChanged } from '../outbound/emit';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import { logger } from '../platform/log';
import { queues } from '../platform/resources';
import { type ConnectionItem, listConnections } from '../store/connections-repo';
import { getIntegration, type IntegrationItem } from '../store/integrations-repo';
import { applyPage, lookupRecords, readRecords, recordsPk } from '../store/records-repo';
import * as syncs from '../store/syncs-repo';
import {
  claimDelivery,
  type DeliveryClaim,
  markDelivered,
  releaseDelivery,
} from '../store/webhook-claims-repo';
import { putWebhookEvent } from '../store/webhook-events-repo';
import { triggerSyncs } from '../syncs/syncs';
import type { QueuedWebhookEvent } from './message';
import { bodyBytes } from './message-body';
import { type RouteMemo, routedConnections } from './routes';
import { keysOf } from './routing-keys';

/**
 * Processes a queued, verified provider event, once per delivery id: claim the id, route
 * the event to its connection(s) — the keys the adapter reads from the payload against
 * each connection's provider account and metadata — and apply it: records upserted into
 * the owning sync's model at once (the same mapping as the sync, so the feed shows the
 * change now), or an incremental sync triggered when the payload is partial. What can't
 * be routed, or can't be applied for good, is kept (webhook events log), never dropped
 * silently. A copy of an event already claimed is a duplicate: dropped and counted.
 */
export type EventOutcome = {
  outcome: 'applied' | 'unrouted' | 'dropped' | 'failed' | 'duplicate';
  /** Why it was kept as failed (the ApiError code), or what a duplicate found. */
  reason?: string;
  /** The claim was a stale one, left by an invocation that died before applying. */
  tookOver?: boolean;
  connections: {
    connection_id: string;
    effect: string;
    added?: number;
    updated?: number;
    deleted?: number;
  }[];
};

/** Bodies are JSON; Slack interactivity posts `payload=<json>` form-encoded. */
const parseBody = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    const form = new URLSearchParams(body);
    const payload = form.get('payload');
    if (payload !== null) {
      try {
        return JSON.parse(payload) as unknown;
      } catch {
        // fall through: the form itself
      }
    }
    return Object.fromEntries(form);
  }
};

// An unindexed integration's connections, briefly cached: routing reads them for every event.
const CONNECTIONS_MS = 10_000;
const connectionsCache = new Map<string, { at: number; items: ConnectionItem[] }>();
const connectionsOf = async (tenantId: string, integration: string): Promise<ConnectionItem[]> => {
  const k = `${tenantId}/${integration}`;
  const hit = connectionsCache.get(k);
  if (hit && Date.now() - hit.at < CONNECTIONS_MS) return hit.items;
  const items: ConnectionItem[] = [];
  let start: Awaited<ReturnType<typeof listConnections>>['nextKey'];
  do {
    const r = await listConnections(tenantId, { integration, status: 'active' }, 100, start);
    items.push(...r.items);
    start = r.nextKey;
  } while (start);
  connectionsCache.set(k, { at: Date.now(), items });
  return items;
};

/** `outbox`: the events to emit for this connection, sent together once it is done. */
const applyEffect = async (
  msg: QueuedWebhookEvent,
  c: ConnectionItem,
  effect: WebhookEffect,
  outbox: Emission[],
): Promise<EventOutcome['connections'][number]> => {
  if (effect.kind === 'disconnect') {
    const changed = await transition(c, { from: c.status, to: 'disconnected', reason: effect.reason });
    return { connection_id: c.connection_id, effect: changed ? 'disconnected' : 'none' };
  }
  if (effect.kind === 'sync') {
    await triggerSyncs(
      msg.tenant_id,
      { connection_id: c.connection_id, syncs: effect.syncs, mode: 'incremental' },
      'webhook',
    );
    return { connection_id: c.connection_id, effect: `sync:${effect.syncs.join(',')}` };
  }
  const decl = (await loadAdapter(c.provider))?.syncs[effect.sync];
  if (!decl) throw new Error(`webhook effect names unknown sync ${effect.sync}`);
  const pk = recordsPk(msg.tenant_id, c.connection_id, decl.model);
  const existing = await lookupRecords(pk, [...effect.records.map((r) => r.id), ...effect.deletedIds]);
  // Providers don't promise delivery order: an event older than what is stored (by the
  // provider's own updated_at) would undo a newer change, so it is skipped.
  const newer = effect.records.filter((r) => {
    const stored = existing.get(r.id)?.data?.updated_at;
    const incoming = r.data.updated_at;
    return !(
      typeof stored === 'string' &&
      typeof incoming === 'string' &&
      Date.parse(incoming) < Date.parse(stored)
    );
  });
  // Fields the event can't tell keep what the sync stored (read whole: the lookup has summaries).
  const keep = effect.keep ?? [];
  const whole =
    keep.length > 0 && newer.length > 0
      ? await readRecords(
          pk,
          newer.map((r) => r.id),
        )
      : undefined;
  const records = newer.map((r) => {
    const stored = whole?.get(r.id)?.data;
    if (!stored) return r;
    const kept = Object.fromEntries(keep.filter((k) => k in stored).map((k) => [k, stored[k]]));
    return { ...r, data: { ...r.data, ...kept } };
  });
  const { counts } = await applyPage({
    pk,
    runId: `webhook_${msg.delivery_id}`,
    sync: effect.sync,
    full: false,
    records,
    deletedIds: effect.deletedIds,
    existing,
  });
  countRecords(msg.tenant_id, c.connection_id, effect.sync, counts.added - counts.deleted);
  const changed = recordsChanged({
    connection_id: c.connection_id,
    sync: effect.sync,
    model: decl.model,
    run_id: null,
    source: 'webhook',
    records: counts,
  });
  if (changed) outbox.push(changed);
  return { connection_id: c.connection_id, effect: `records:${effect.sync}`, ...counts };
};

/**
 * A sync's `records_count` moves with the events applied to it, gathered per SQS batch and
 * written once per sync at its end (flushRecordCounts): one ADD per event on the sync item
 * made it a hot item — 2,000 events/s from one GitHub organisation on one item, each also
 * rewriting its copy in the schedule index. A lost flush loses the counts of one batch, as a
 * failed ADD after applying did before (a retry applies nothing new).
 */
const pendingCounts = new Map<
  string,
  { tenantId: string; connectionId: string; sync: string; net: number }
>();
const countRecords = (tenantId: string, connectionId: string, sync: string, net: number): void => {
  if (net === 0) return;
  const k = `${tenantId}/${connectionId}/${sync}`;
  const p = pendingCounts.get(k) ?? { tenantId, connectionId, sync, net: 0 };
  p.net += net;
  pendingCounts.set(k, p);
};

/** Writes what the batch's events did to each sync's `records_count`: one update per sync. */
export const flushRecordCounts = async (): Promise<void> => {
  const pending = [...pendingCounts.values()].filter((p) => p.net !== 0);
  pendingCounts.clear();
  await Promise.all(
    pending.map((p) =>
      syncs.updateSync(p.tenantId, p.connectionId, p.sync, {}, { add: { records_count: p.net } }),
    ),
  );
};

/**
 * Keeps an event the processor could not use in the webhook events log (GET
 * /v1/integrations/{key}/webhook-events), with its body when it is not too large to list.
 */
export const keepEvent = async (
  msg: QueuedWebhookEvent,
  status: 'unrouted' | 'failed',
  reason: string,
): Promise<void> => {
  await putWebhookEvent({
    id: newId('whe'),
    tenant_id: msg.tenant_id,
    integration_key: msg.integration_key,
    delivery_id: msg.delivery_id,
    event_type: msg.event_type,
    status,
    reason,
    received_at: msg.received_at,
    ...(msg.body.length <= 300_000
      ? { body: msg.body, ...(msg.body_encoding ? { body_encoding: msg.body_encoding } : {}) }
      : {}),
    body_bytes: bodyBytes(msg).length,
  });
};

/**
 * A claim still `claimed` after this long belongs to an invocation that died between claim
 * and apply: the processor's Lambda timeout, past which no live invocation holds one. The
 * dead invocation's message comes back after the queue's visibility timeout (6× this) and
 * takes the claim over; so may a provider's redelivery, sooner.
 */
export const CLAIM_STALE_MS = queues.webhook.consumerTimeoutSeconds * 1000;

/**
 * The idempotent consumer: claim → apply → mark done. A failure of ours while applying
 * releases the claim and throws (the queue retries the message, which claims again); a
 * crash leaves the claim to go stale and be taken over. Two copies in one batch race for
 * the claim; the loser is a duplicate, and the winner's message stays queued until it has
 * applied the event, so dropping the loser loses nothing.
 */
/**
 * What the events of one SQS batch share, read once a batch: the integration each names
 * and their route lookups (routes.ts). One organisation at 2,000 events/s sends batches of
 * one integration: its item, read strongly consistent per event, was 0.67 of one item's
 * read limit in the capacity model (docs/scale.md). An integration deleted or changed
 * meanwhile is seen by the next batch (seconds), as a route is.
 */
export type BatchMemo = {
  integrations: Map<string, Promise<IntegrationItem | undefined>>;
  routes: RouteMemo;
};
export const newBatchMemo = (): BatchMemo => ({ integrations: new Map(), routes: new Map() });

const integrationOf = (msg: QueuedWebhookEvent, memo?: BatchMemo): Promise<IntegrationItem | undefined> => {
  if (!memo) return getIntegration(msg.tenant_id, msg.integration_key);
  const key = JSON.stringify([msg.tenant_id, msg.integration_key]);
  let found = memo.integrations.get(key);
  if (!found) {
    found = getIntegration(msg.tenant_id, msg.integration_key);
    memo.integrations.set(key, found);
    // A failed read fails the events that waited on it (the queue retries them), and is not kept.
    found.catch(() => memo.integrations.delete(key));
  }
  return found;
};

export const processWebhookEvent = async (
  msg: QueuedWebhookEvent,
  /** The batch's shared reads, when it runs in one. */
  memo?: BatchMemo,
): Promise<EventOutcome> => {
  const claimed = await claimDelivery(msg.tenant_id, msg.integration_id, msg.delivery_id, {
    staleAfterMs: CLAIM_STALE_MS,
  });
  if (claimed.kind === 'duplicate') {
    return {
      outcome: 'duplicate',
      reason: claimed.state === 'done' ? 'applied already' : 'being applied',
      connections: [],
    };
  }
  let outcome: EventOutcome;
  try {
    outcome = await applyEvent(msg, memo);
  } catch (e) {
    if (!(e instanceof ApiError)) {
      await releaseDelivery(claimed.claim).catch(() => undefined);
      throw e;
    }
    // A refusal no retry can change (a connection no longer active, a sync that can't run).
    await keepEvent(msg, 'failed', e.message);
    outcome = { outcome: 'failed', reason: e.code, connections: [] };
  }
  await done(claimed.claim, msg);
  return claimed.claim.takenOver ? { ...outcome, tookOver: true } : outcome;
};

/**
 * Marks the claim done. Failing to is logged, not thrown: the event is applied, and a
 * retry of this message would apply it again; the claim goes stale instead, and only a
 * later copy of the event (rare) could apply it twice.
 */
const done = async (claim: DeliveryClaim, msg: QueuedWebhookEvent): Promise<void> => {
  try {
    if (!(await markDelivered(claim))) {
      logger.warn('webhook claim taken over while applying', { delivery_id: msg.delivery_id });
    }
  } catch (e) {
    logger.warn('webhook claim not marked done', { delivery_id: msg.delivery_id, error: (e as Error).name });
  }
};

const applyEvent = async (msg: QueuedWebhookEvent, memo?: BatchMemo): Promise<EventOutcome> => {
  const integration = await integrationOf(msg, memo);
  // Deleted (or deleted and re-created under the same key) since the event was accepted.
  if (!integration || integration.integration_id !== msg.integration_id)
    return { outcome: 'dropped', connections: [] };
  const adapter = await loadAdapter(integration.provider);
  const hooks = adapter?.webhooks;
  const connectionKeys = adapter?.connectionKeys;
  if (!hooks || !connectionKeys) return { outcome: 'dropped', connections: [] };
  // Verified over its bytes by the receiver; read as text now (invalid UTF-8 becomes U+FFFD).
  const payload = parseBody(bodyBytes(msg).toString('utf8'));
  // Typed keys on both sides (`installation:42`, `account:42`): like matches like only.
  const wanted = new Set<string>(hooks.route(payload, msg.event_type));
  const routed = !wanted.size
    ? []
    : integration.routes_indexed
      ? await routedConnections(msg.tenant_id, msg.integration_key, connectionKeys, wanted, memo?.routes)
      : // Created before the routing index and not reindexed yet (`admin -- reindex-routes`).
        (await connectionsOf(msg.tenant_id, msg.integration_key)).filter((c) =>
          keysOf(connectionKeys, c).some((k) => wanted.has(k)),
        );
  if (routed.length === 0) {
    await keepEvent(
      msg,
      'unrouted',
      wanted.size
        ? `no active connection of this integration matches ${[...wanted].slice(0, 5).join(', ')}`
        : 'the event names no account to route by',
    );
    return { outcome: 'unrouted', connections: [] };
  }
  const done: EventOutcome['connections'] = [];
  for (const c of routed) {
    const applied = hooks.apply(
      payload,
      msg.event_type,
      { config: c.config, metadata: c.provider_metadata ?? {} },
      { hintOnly: msg.hint_only === true },
    );
    // A body its proof did not cover is never written, whatever the adapter says: its
    // records become an incremental run of their sync, which reads the provider itself.
    // Nor does such a body disconnect anything: its proof does not say the grant is gone.
    const effect: WebhookEffect | undefined =
      msg.hint_only && applied?.kind === 'records'
        ? { kind: 'sync', syncs: [applied.sync] }
        : msg.hint_only && applied?.kind === 'disconnect'
          ? undefined
          : applied;
    // This connection's `records.changed` and `provider.event`, sent in one SendMessageBatch
    // once both are known: one SQS request an event, not two.
    const outbox: Emission[] = [];
    done.push(
      effect ? await applyEffect(msg, c, effect, outbox) : { connection_id: c.connection_id, effect: 'none' },
    );
    // The provider's event itself, wrapped with the connection it was routed to — unless the
    // connection's config leaves this event out (GitHub's `config.events`).
    const forwarded =
      hooks.forward?.(payload, msg.event_type, { config: c.config, metadata: c.provider_metadata ?? {} }) ??
      true;
    if (forwarded) {
      outbox.push({
        type: 'provider.event',
        data: {
          connection_id: c.connection_id,
          integration: msg.integration_key,
          provider: integration.provider,
          event_type: msg.event_type,
          delivery_id: msg.delivery_id,
          received_at: msg.received_at,
          // False when only the sender was authenticated (a Jira OAuth app's JWT): treat it as a hint.
          payload_verified: msg.hint_only !== true,
          payload,
        },
      });
    }
    if (outbox.length) await emitEvents(msg.tenant_id, outbox);
  }
  return { outcome: 'applied', connections: done };
};
