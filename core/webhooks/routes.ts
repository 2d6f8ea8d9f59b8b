import { loadAdapter } from '../../adapters';
import type { ConnectionKeys } from '../../adapters/types';
import {
  type ConnectionItem,
  connectionsByRoutingKeys,
  connectionsOfIntegration,
  setRoutingKeys,
} from '../store/connections-repo';
import { markRoutesIndexed, scanIntegrations } from '../store/integrations-repo';
import { keysOf } from './routing-keys';

/**
 * The webhook routing index: each connection's routing keys (what its provider's
 * `connectionKeys` makes of the account and metadata it stored at connect time), each with a
 * route item, so an event finds its connections by the keys it names (core/webhooks/process.ts)
 * instead of listing every connection of the integration — at 200,000 connections that was
 * ~400 MB read per container every 10 s.
 */
/**
 * The route lookups of one SQS batch, by tenant, integration and keys. One organisation at
 * 2,000 events/s sends batches that all name its keys: a Query per key and a BatchGet per
 * event on one route partition was 0.67 of its read limit in the capacity model
 * (docs/scale.md). A batch reads each once; a connection made or removed meanwhile is seen
 * by the next batch (seconds), and the connection's own status is checked on every event.
 */
export type RouteMemo = Map<string, Promise<ConnectionItem[]>>;

/** The active connections of the integration an event's keys name, through the index. */
export const routedConnections = async (
  tenantId: string,
  integration: string,
  connectionKeys: ConnectionKeys,
  wanted: ReadonlySet<string>,
  memo?: RouteMemo,
): Promise<ConnectionItem[]> => {
  const key = JSON.stringify([tenantId, integration, [...wanted].sort()]);
  let found = memo?.get(key);
  if (!found) {
    found = connectionsByRoutingKeys(tenantId, integration, [...wanted]);
    if (memo) {
      memo.set(key, found);
      // A failed read fails the events that waited on it (the queue retries them) and is
      // not kept: the next event of the batch reads again.
      found.catch(() => memo.delete(key));
    }
  }
  return (await found).filter(
    // Checked again on the connection itself: the index says where to look, the connection decides.
    (c) => c.status === 'active' && keysOf(connectionKeys, c).some((k) => wanted.has(k)),
  );
};

/**
 * Builds the index for integrations created before it (`npm run admin -- reindex-routes`):
 * every connection's route items, then the integration marked `routes_indexed`, from which
 * on the processor routes its events through the index. Safe to run again, and while traffic
 * flows: a connection created meanwhile writes its own items.
 */
export const reindexRoutes = async (): Promise<{ integrations: number; connections: number }> => {
  let integrations = 0;
  let connections = 0;
  for await (const page of scanIntegrations()) {
    for (const i of page) {
      // Only whole integration items (a partial one, missing its key, names no connections).
      if (i.routes_indexed || !i.unique_key || !i.tenant_id || !i.provider) continue;
      const adapter = await loadAdapter(i.provider);
      const connectionKeys = adapter?.webhooks ? adapter.connectionKeys : undefined;
      if (connectionKeys) {
        for (const c of await connectionsOfIntegration(i.tenant_id, i.unique_key)) {
          if (await setRoutingKeys(c, keysOf(connectionKeys, c))) connections++;
        }
      }
      await markRoutesIndexed(i.tenant_id, i.unique_key);
      integrations++;
    }
  }
  return { integrations, connections };
};
