import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { ApiError } from '../../core/platform/errors';
import { setRateLimit } from '../../core/store/tenants-repo';
import { consumeRequest } from '../../core/tenants/rate-limit';
import { newTenant } from './harness';

/**
 * The tenant-wide counter is one item: one write per request made it a hot key (the largest
 * tenant's 1,500 requests a second against a partition's 1,000 writes) and its throttles
 * 500s. A busy container reserves requests in blocks; small limits stay exact; a throttled
 * counter is counted in the container, never a 500.
 */
type Counting = { updates: number; throttle: boolean };
const seen: Counting = { updates: 0, throttle: false };
beforeAll(() => {
  dynamo().middlewareStack.add(
    ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        const name = context.commandName ?? '';
        const key = JSON.stringify((args.input as { Key?: unknown }).Key ?? '');
        if (/^Update(Item)?Command$/.test(name) && key.includes('#RATE#')) {
          seen.updates++;
          if (seen.throttle) {
            const e = new Error('The level of configured provisioned throughput for the table was exceeded.');
            e.name = 'ProvisionedThroughputExceededException';
            throw e;
          }
        }
        return next(args);
      }) as never,
    { step: 'initialize', name: 'countRateLimitWrites' },
  );
});
afterEach(() => {
  seen.throttle = false;
});

/** Requests all in one second of one window (so the test never straddles a boundary). */
const inOneSecond = async (tenantId: string, n: number) => {
  const second = (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 5_000; // next window, 5 s in
  const outcomes: ('ok' | 'limited')[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await consumeRequest(tenantId, 'key_hot', second + (i % 900));
      outcomes.push('ok');
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'rate_limited') throw e;
      outcomes.push('limited');
    }
  }
  return outcomes;
};

it('a busy container writes the counter once per block, not once per request', {
  timeout: 60_000,
}, async () => {
  const t = await newTenant('hot');
  await setRateLimit(t.tenantId, 60_000);
  await setRateLimit(t.tenantId, 90_000, 'tenant');
  seen.updates = 0;
  const outcomes = await inOneSecond(t.tenantId, 1000);
  expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1000);
  // Blocks grow with the second's traffic (1, 2, 3, … capped at 1 % of the limit): two
  // buckets, about 45 writes each for 1,000 requests, against 2,000 before.
  expect(seen.updates).toBeLessThanOrEqual(100);
  expect(seen.updates).toBeGreaterThan(2);
});

it('a small limit stays exact: the 4th request of a limit of 3 is refused', { timeout: 60_000 }, async () => {
  const t = await newTenant('exact');
  await setRateLimit(t.tenantId, 3);
  const outcomes = await inOneSecond(t.tenantId, 6);
  expect(outcomes).toEqual(['ok', 'ok', 'ok', 'limited', 'limited', 'limited']);
});

it('a limit of 500 admits exactly 500 from one busy container', { timeout: 60_000 }, async () => {
  const t = await newTenant('exact-500');
  await setRateLimit(t.tenantId, 500);
  const outcomes = await inOneSecond(t.tenantId, 700);
  expect(outcomes.filter((o) => o === 'ok')).toHaveLength(500);
  expect(outcomes.slice(500).every((o) => o === 'limited')).toBe(true);
});

it('a throttled counter is never a 500: the container counts alone, against the whole limit', {
  timeout: 60_000,
}, async () => {
  const t = await newTenant('throttled');
  await setRateLimit(t.tenantId, 5);
  seen.throttle = true;
  seen.updates = 0;
  const outcomes = await inOneSecond(t.tenantId, 8);
  expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'limited', 'limited', 'limited']);
  expect(seen.updates).toBe(16); // every request tried the shared counter (two buckets), each throttled
});

it('concurrent requests of one container share its reservation: 600 at once under a limit of 500 admit exactly 500', {
  timeout: 60_000,
}, async () => {
  const t = await newTenant('concurrent');
  await setRateLimit(t.tenantId, 500);
  const at = (Math.floor(Date.now() / 60_000) + 1) * 60_000 + 5_000;
  // All at once: blocks grow past one as the second's count does, and none is overwritten.
  const outcomes = await Promise.all(
    Array.from({ length: 600 }, () =>
      consumeRequest(t.tenantId, 'key_conc', at).then(
        () => 'ok',
        (e: unknown) => {
          if (!(e instanceof ApiError) || e.code !== 'rate_limited') throw e;
          return 'limited';
        },
      ),
    ),
  );
  expect(outcomes.filter((o) => o === 'ok')).toHaveLength(500);
});
