import type { InitializeHandler, InitializeHandlerArguments } from '@smithy/types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { markDeleting } from '../../core/store/integrations-repo';
import { type ResendFake, startResendFake } from '../fakes/resend';
import { call, type Harness, startHarness } from './harness';

/**
 * An integration's `connection_count` was an ADD in the same transaction as each new
 * connection: concurrent connects to one integration conflicted on its item and answered
 * 500 (DynamoDB fails a transaction on an item another transaction holds; DynamoDB Local
 * does not, so the test watches what the transactions touch). The count is a plain atomic
 * update after the insert now; no transaction names the integration item.
 */
const transactedKeys: string[] = [];
let h: Harness;
let fake: ResendFake;
const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });

beforeAll(async () => {
  dynamo().middlewareStack.add(
    ((next: InitializeHandler<object, object>, context: { commandName?: string }) =>
      async (args: InitializeHandlerArguments<object>) => {
        if (/^TransactWrite(Items)?Command$/.test(context.commandName ?? '')) {
          const items = (
            args.input as { TransactItems?: Record<string, { Key?: unknown; Item?: unknown }>[] }
          ).TransactItems;
          for (const op of items ?? [])
            for (const v of Object.values(op)) transactedKeys.push(JSON.stringify(v.Key ?? v.Item ?? ''));
        }
        return next(args);
      }) as never,
    { step: 'initialize', name: 'watchTransactions' },
  );
  h = await startHarness();
  fake = await startResendFake();
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'mail-busy', provider: 'resend', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
});
afterAll(async () => {
  await fake?.stop();
  await h?.stop();
});

it('30 concurrent connects to one integration all succeed and are all counted', {
  timeout: 120_000,
}, async () => {
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, n) =>
      api('/v1/connections', {
        method: 'POST',
        body: { integration: 'mail-busy', end_user_id: `u_busy_${n}`, credentials: fake.valid },
      }),
    ),
  );
  expect(answers.map((a) => a.status)).toEqual(Array(30).fill(201));
  expect(transactedKeys.length).toBeGreaterThanOrEqual(60);
  expect(transactedKeys.filter((k) => k.includes('INTEGRATION#'))).toEqual([]);
  const i = await api('/v1/integrations/mail-busy');
  expect(i.body.data.connection_count).toBe(30);

  // Deleting them counts down the same way, concurrently.
  const deleted = await Promise.all(
    answers.map((a) => api(`/v1/connections/${a.body.data.id}`, { method: 'DELETE' })),
  );
  expect(deleted.map((d) => d.status)).toEqual(Array(30).fill(200));
  expect((await api('/v1/integrations/mail-busy')).body.data.connection_count).toBe(0);
});

it("a connect racing the integration's deletion takes its connection back: none is left behind", {
  timeout: 60_000,
}, async () => {
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'mail-going', provider: 'resend', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  expect(i.status).toBe(201);
  // What DELETE /v1/integrations/{key} does first, before listing its connections.
  await markDeleting(h.tenantId, 'mail-going');
  const c = await api('/v1/connections', {
    method: 'POST',
    body: { integration: 'mail-going', end_user_id: 'u_late', credentials: fake.valid },
  });
  expect(c.status, JSON.stringify(c.body)).toBeGreaterThanOrEqual(400);
  expect(c.status).toBeLessThan(500);
  expect(c.body.error.code).toBe('integration_not_configured');
  const left = await api('/v1/connections?integration=mail-going');
  expect(left.body.data.connections).toEqual([]);
  expect((await api('/v1/integrations/mail-going', { method: 'DELETE' })).status).toBe(200);
});
