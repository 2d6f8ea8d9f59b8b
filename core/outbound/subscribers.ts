import { subscriptionRoutes } from '../store/webhook-subscriptions-repo';

/**
 * Which subscriptions of a tenant want an event type, cached per container for a few
 * seconds: most tenants have none, and a burst of events (a webhook storm, a sync
 * finishing many runs) should cost one Query, not one per event. A subscription created
 * or deleted elsewhere is seen within CACHE_MS; one deleted meanwhile is dropped at delivery.
 */
export const CACHE_MS = 10_000;
const MAX_TENANTS = 1_000;

type Route = { id: string; events: string[] };
const cache = new Map<string, { at: number; routes: Promise<Route[]> }>();

const routesOf = (tenantId: string): Promise<Route[]> => {
  const now = Date.now();
  const hit = cache.get(tenantId);
  if (hit && now - hit.at < CACHE_MS) return hit.routes;
  const routes = subscriptionRoutes(tenantId);
  // A failed read must not stay cached: the next event tries again.
  routes.catch(() => {
    if (cache.get(tenantId)?.routes === routes) cache.delete(tenantId);
  });
  cache.delete(tenantId);
  // Oldest first out: Map keeps insertion order, and a refreshed entry is re-inserted.
  if (cache.size >= MAX_TENANTS) cache.delete(cache.keys().next().value as string);
  cache.set(tenantId, { at: now, routes });
  return routes;
};

/** Ids of the tenant's subscriptions to `type`. */
export const subscribersOf = async (tenantId: string, type: string): Promise<string[]> =>
  (await routesOf(tenantId)).filter((r) => r.events.includes(type)).map((r) => r.id);

/** After a change in this container, the next event reads afresh. */
export const forgetSubscribers = (tenantId: string): void => {
  cache.delete(tenantId);
};
