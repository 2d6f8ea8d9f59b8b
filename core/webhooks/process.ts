import { loadAdapter } from '../../adapters';
import type { WebhookEffect } from '../../adapters/types';
import { emitEvent, emitRecordsChanged } from '../outbound/emit';
import { newId } from '../platform/ids';
import { type ConnectionItem, listConnections } from '../store/connections-repo';
import { getIntegration } from '../store/integrations-repo';
import { applyPage, lookupRecords, recordsPk } from '../store/records-repo';
import * as syncs from '../store/syncs-repo';
import { putWebhookEvent } from '../store/webhook-events-repo';
import { triggerSyncs } from '../syncs/syncs';
import type { QueuedWebhookEvent } from './receive';

export type { QueuedWebhookEvent } from './receive';

/**
 * Processes a queued, verified provider event: route it to its connection(s) — the keys
 * the adapter reads from the payload against each connection's provider account and
 * metadata — and apply it: records upserted into the owning sync's model at once (the
 * same mapping as the sync, so the feed shows the change now), or an incremental sync
 * triggered when the payload is partial. What can't be routed is kept (webhook events
 * log), never dropped silently.
 */
export type EventOutcome = {
  outcome: 'applied' | 'unrouted' | 'dropped';
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

// The integration's connections, briefly cached: routing reads them for every event.
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

/**
 * The values a connection can be routed by: its provider account, and the metadata that
 * identifies something (`*_id`: installation, team, organization, tenant, cloud; `site`) —
 * not descriptive values such as GitHub's `target_type: Organization`, which an event's
 * keys could match by accident.
 */
const keysOf = (c: ConnectionItem): Set<string> =>
  new Set(
    [
      c.provider_account.id,
      c.provider_account.name,
      ...Object.entries(c.provider_metadata ?? {})
        .filter(([k]) => k.endsWith('_id') || k === 'site')
        .map(([, v]) => v),
    ]
      .filter((v): v is string => typeof v === 'string' && v !== '')
      .map((v) => v.toLowerCase()),
  );

const applyEffect = async (
  msg: QueuedWebhookEvent,
  c: ConnectionItem,
  effect: WebhookEffect,
): Promise<EventOutcome['connections'][number]> => {
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
  const { counts } = await applyPage({
    pk,
    runId: `webhook_${msg.delivery_id}`,
    sync: effect.sync,
    full: false,
    records: newer,
    deletedIds: effect.deletedIds,
    existing,
  });
  const net = counts.added - counts.deleted;
  if (net !== 0) {
    await syncs.updateSync(msg.tenant_id, c.connection_id, effect.sync, {}, { add: { records_count: net } });
  }
  await emitRecordsChanged(msg.tenant_id, {
    connection_id: c.connection_id,
    sync: effect.sync,
    model: decl.model,
    run_id: null,
    source: 'webhook',
    records: counts,
  });
  return { connection_id: c.connection_id, effect: `records:${effect.sync}`, ...counts };
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
    ...(msg.body.length <= 300_000 ? { body: msg.body } : {}),
    body_bytes: Buffer.byteLength(msg.body, 'utf8'),
  });
};

export const processWebhookEvent = async (msg: QueuedWebhookEvent): Promise<EventOutcome> => {
  const integration = await getIntegration(msg.tenant_id, msg.integration_key);
  // Deleted (or deleted and re-created under the same key) since the event was accepted.
  if (!integration || integration.integration_id !== msg.integration_id)
    return { outcome: 'dropped', connections: [] };
  const hooks = (await loadAdapter(integration.provider))?.webhooks;
  if (!hooks) return { outcome: 'dropped', connections: [] };
  const payload = parseBody(msg.body);
  const wanted = new Set(hooks.route(payload, msg.event_type).map((k) => k.toLowerCase()));
  const routed = (await connectionsOf(msg.tenant_id, msg.integration_key)).filter((c) =>
    [...keysOf(c)].some((k) => wanted.has(k)),
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
    const effect = hooks.apply(payload, msg.event_type, {
      config: c.config,
      metadata: c.provider_metadata ?? {},
    });
    done.push(
      effect ? await applyEffect(msg, c, effect) : { connection_id: c.connection_id, effect: 'none' },
    );
    // The provider's event itself, wrapped with the connection it was routed to.
    await emitEvent(msg.tenant_id, 'provider.event', {
      connection_id: c.connection_id,
      integration: msg.integration_key,
      provider: integration.provider,
      event_type: msg.event_type,
      delivery_id: msg.delivery_id,
      received_at: msg.received_at,
      payload,
    });
  }
  return { outcome: 'applied', connections: done };
};
