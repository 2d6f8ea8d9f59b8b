import { loadAdapter } from '../../adapters';
import type { WebhookFunctions } from '../../adapters/types';
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
/** The active connections of the integration an event's keys name, through the index. */
export const routedConnections = async (
  tenantId: string,
  integration: string,
  hooks: Pick<WebhookFunctions, 'connectionKeys'>,
  wanted: ReadonlySet<string>,
): Promise<ConnectionItem[]> =>
  (await connectionsByRoutingKeys(tenantId, integration, [...wanted])).filter(
    // Checked again on the connection itself: the index says where to look, the connection decides.
    (c) => c.status === 'active' && keysOf(hooks, c).some((k) => wanted.has(k)),
  );

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
      const hooks = (await loadAdapter(i.provider))?.webhooks;
      if (hooks) {
        for (const c of await connectionsOfIntegration(i.tenant_id, i.unique_key)) {
          if (await setRoutingKeys(c, keysOf(hooks, c))) connections++;
        }
      }
      await markRoutesIndexed(i.tenant_id, i.unique_key);
      integrations++;
    }
  }
  return { integrations, connections };
};
