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

/**
 * The same meter around one call made without an SDK client (aws-call.ts): one line per
 * operation, named as the SDK client's command, retries inside it — as the middleware
 * counts at the initialize step. Without CAPACITY_LOG it is the call alone.
 */
export const metered = async <T>(
  service: MeteredRequest['service'],
  commandName: string,
  input: Record<string, unknown>,
  call: () => Promise<T>,
): Promise<T> => {
  const file = process.env.CAPACITY_LOG;
  if (!file) return call();
  const { meterMiddleware } = await import('./capacity-meter');
  const next: Next = async () => ({ output: await call() });
  return (await meterMiddleware(service, file)(next, { commandName })({ input })).output as T;
};
