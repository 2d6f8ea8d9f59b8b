import { randomBytes, randomUUID } from 'node:crypto';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { secretsClient } from '../../core/platform/secrets-manager';
import { call, expectError, type Harness, startHarness } from './harness';

/**
 * Unauthenticated input must not reach Secrets Manager (docs/security.md): a forged end-user
 * token or a cursor naming a data-key version nobody has used to cost a GetSecretValue per
 * request. Counted on the local Secrets Manager, for a data-key secret of this file's own
 * (so no other test file's reads are counted).
 */
const DATA_KEY = `integrations/data-key-reach-${randomUUID().slice(0, 8)}`;
let h: Harness;

const getSecretValueCalls = async (): Promise<number> => {
  const counts = (await (
    await fetch(`${process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER}/_local/request-counts`)
  ).json()) as Record<string, Record<string, number>>;
  return counts.GetSecretValue?.[DATA_KEY] ?? 0;
};

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  await secretsClient().send(
    new CreateSecretCommand({
      Name: DATA_KEY,
      SecretString: JSON.stringify({ current: '1', k1: randomBytes(48).toString('base64url') }),
    }),
  );
  // Read by core/keys/data-key.ts on each load: set before anything in this process loads keys.
  process.env.DATA_KEY_SECRET_ID = DATA_KEY;
  h = await startHarness();
});
afterAll(() => h?.stop());

it('1,000 forged end-user tokens and 100 forged cursors cost at most one GetSecretValue', {
  timeout: 120_000,
}, async () => {
  // Warm: a real token and a real cursor load the keys once, as any first request does.
  const minted = await call(h.gateway.url, '/v1/end-user-tokens', {
    key: h.key,
    method: 'POST',
    body: JSON.stringify({ end_user_id: 'u_reach' }),
  });
  expect(minted.status).toBe(201);
  expect((await call(h.gateway.url, '/v1/connections', { key: minted.body.data.token })).status).toBe(200);
  const before = await getSecretValueCalls();
  expect(before).toBeGreaterThanOrEqual(1);

  const now = Math.floor(Date.now() / 1000);
  const forgedToken = (i: number) => {
    // Versions never issued (above the newest), the one that exists, and garbage.
    const v = i % 3 === 0 ? String(2 + (i % 50_000)) : i % 3 === 1 ? '1' : 'x';
    const claims = { t: h.tenantId, u: 'u_reach', k: 'key_x', iat: now, exp: now + 600, jti: String(i) };
    return `eut_${v}.${b64(claims)}.${randomBytes(32).toString('base64url')}`;
  };
  const statuses: number[] = [];
  for (let i = 0; i < 1000; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: 25 }, (_, j) =>
        call(h.gateway.url, '/v1/connections', { key: forgedToken(i + j) }).then((r) => r.status),
      ),
    );
    statuses.push(...batch);
  }
  expect(statuses).toHaveLength(1000);
  expect(new Set(statuses)).toEqual(new Set([401]));

  for (let i = 0; i < 100; i++) {
    const cursor = `${b64({ v: String(100 + i), t: h.tenantId, s: 'x', d: 0 })}.${randomBytes(32).toString('base64url')}`;
    expectError(
      await call(h.gateway.url, `/v1/tools?cursor=${encodeURIComponent(cursor)}`, { key: h.key }),
      400,
      'invalid_cursor',
    );
  }
  expect((await getSecretValueCalls()) - before).toBeLessThanOrEqual(1);
});
