import type { MeteredRequest, Next } from './capacity-meter';

type Stack = {
  add: (
    mw: (next: Next, context: { commandName?: string }) => Next,
    options: { step: 'initialize'; name: string; priority?: 'low' },
  ) => void;
};

/**
 * Adds the capacity bench's request meter (capacity-meter.ts) to an SDK client when
 * CAPACITY_LOG is set; a no-op otherwise. The meter itself is imported on the client's first
 * request, so deployed handlers carry it only as a chunk they never load (its static import
 * put ~8 KB and the table definitions into every handler's cold start).
 */
export const meterClient = (
  service: MeteredRequest['service'],
  client: { middlewareStack: unknown },
): void => {
  const file = process.env.CAPACITY_LOG;
  if (!file) return;
  let meter: Promise<(next: Next, context: { commandName?: string }) => Next> | undefined;
  (client.middlewareStack as Stack).add(
    (next, context) => async (args) => {
      meter ??= import('./capacity-meter').then((m) => m.meterMiddleware(service, file));
      return (await meter)(next, context)(args);
    },
    { step: 'initialize', name: 'capacityMeter', priority: 'low' },
  );
};
