import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialsOf } from '../../core/connections/connections';
import { decryptFor, encryptFor, keyVersionOf } from '../../core/keys/credentials-crypto';
import { deriveKey, forgetDataKeys } from '../../core/keys/data-key';
import {
  RETIRE_AFTER_ROTATION_MS,
  RetireRefused,
  retireDataKeys,
  rotateDataKey,
} from '../../core/keys/rotation';
import { secretId } from '../../core/platform/config';
import { secretsClient } from '../../core/platform/secrets-manager';
import { getConnection, resealIfUnchanged } from '../../core/store/connections-repo';
import { getSubscription } from '../../core/store/webhook-subscriptions-repo';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { sensitive } from '../leak-watch';
import { call, expectError, type Harness, ownResources, startHarness } from './harness';

/**
 * Data-key rotation and retirement (docs/security.md "End-user tokens, keys and data keys").
 * Rotation scans whole tables and changes the data key, so this file runs on tables, queues
 * and a data-key secret of its own: no other test file's data is re-sealed or retired here,
 * and their tokens and cursors outlive this file's rotations.
 */
let h: Harness;
let fake: GitHubFake;
const ids: string[] = [];
let subscription: { id: string; secret: string };
let newSecret: string;

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
const secretRecord = async () =>
  JSON.parse(
    (await secretsClient().send(new GetSecretValueCommand({ SecretId: secretId('dataKey') })))
      .SecretString as string,
  ) as Record<string, string>;
/** Seals as core/keys/credentials-crypto.ts does, under a version of our choosing. */
const sealUnder = (version: string, material: string, tenantId: string, id: string, plain: unknown) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(material, 'credentials'), iv);
  cipher.setAAD(Buffer.from(`tenant:${tenantId}|connection:${id}`));
  const ct = Buffer.concat([cipher.update(JSON.stringify(plain)), cipher.final()]);
  return [`v${version}`, iv, ct, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
};
const later = () => Date.now() + RETIRE_AFTER_ROTATION_MS + 1000;

beforeAll(async () => {
  await ownResources('rot');
  forgetDataKeys();
  h = await startHarness();
  fake = await startGitHubFake();
  await api('/v1/integrations', {
    method: 'POST',
    body: { unique_key: 'gh-rot', provider: 'github', endpoints: { api_base_url: fake.apiBaseUrl } },
  });
  for (const user of ['u_1', 'u_2']) {
    const r = await api('/v1/connections', {
      method: 'POST',
      body: { integration: 'gh-rot', end_user_id: user, credentials: fake.valid },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.push(r.body.data.id);
  }
  // The one answer carrying the subscription's secret is read here, not through `call`.
  const res = await fetch(`${h.gateway.url}/v1/webhook-subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.key}` },
    body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', events: ['sync.completed'] }),
  });
  const body = (await res.json()) as { data: { id: string; secret: string } };
  expect(res.status, JSON.stringify(body)).toBe(201);
  subscription = { id: body.data.id, secret: sensitive(body.data.secret) };
  // Rotated once: the first secret keeps signing for a day beside the new one, so both are sealed.
  const rot = await fetch(`${h.gateway.url}/v1/webhook-subscriptions/${subscription.id}/rotate-secret`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.key}` },
  });
  const rotated = (await rot.json()) as { data: { secret: string } };
  expect(rot.status).toBe(200);
  newSecret = sensitive(rotated.data.secret);
});
afterAll(async () => {
  await h?.stop();
  await fake?.stop();
});

describe('rotate-data-key', () => {
  it('adds a version and re-seals connections and webhook subscription secrets still on an older one', async () => {
    const before = await getConnection(h.tenantId, ids[0] as string);
    const oldVersion = keyVersionOf(before?.sealed as string);
    const sub = await getSubscription(h.tenantId, subscription.id);
    expect(keyVersionOf(sub?.sealed_secret as string)).toBe(oldVersion);

    const r = await rotateDataKey();
    expect(Number(r.current_version)).toBe(Number(oldVersion) + 1);
    // The subscription's current secret and the one its rotation keeps signing.
    expect(r.resealed).toEqual({ connections: ids.length, webhook_subscriptions: 2 });

    const secret = await secretRecord();
    expect(secret.current).toBe(r.current_version);
    expect(secret[`k${oldVersion}`]).toBeDefined(); // kept until retired
    expect(Date.now() - Date.parse(secret.rotated_at as string)).toBeLessThan(60_000);

    forgetDataKeys();
    for (const id of ids) {
      const c = await getConnection(h.tenantId, id);
      expect(keyVersionOf(c?.sealed as string)).toBe(r.current_version);
      expect(await credentialsOf(c as NonNullable<typeof c>)).toEqual(fake.valid);
    }
    const resealed = await getSubscription(h.tenantId, subscription.id);
    expect(keyVersionOf(resealed?.sealed_secret as string)).toBe(r.current_version);
    expect(await decryptFor(h.tenantId, subscription.id, resealed?.sealed_secret as string)).toBe(newSecret);
    expect(keyVersionOf(resealed?.previous_sealed_secret as string)).toBe(r.current_version);
    expect(await decryptFor(h.tenantId, subscription.id, resealed?.previous_sealed_secret as string)).toBe(
      subscription.secret,
    );
    expect((await api(`/v1/connections/${ids[0]}`)).status).toBe(200);
    // A second run has nothing left to do.
    expect((await rotateDataKey({ addVersion: false })).resealed).toEqual({
      connections: 0,
      webhook_subscriptions: 0,
    });
  });

  it('a warm container whose cached keys predate a rotation still decrypts newer ciphertexts', async () => {
    forgetDataKeys();
    await encryptFor(h.tenantId, 'conn_x', {}); // this container's cache: the current versions
    // Another container rotates: a new version becomes current in Secrets Manager only…
    const record = await secretRecord();
    const next = String(Number(record.current) + 1);
    record[`k${next}`] = randomBytes(48).toString('base64url');
    record.current = next;
    await secretsClient().send(
      new PutSecretValueCommand({ SecretId: secretId('dataKey'), SecretString: JSON.stringify(record) }),
    );
    // …and seals credentials under it. This container must reload, not fail.
    const sealed = sealUnder(next, record[`k${next}`] as string, h.tenantId, 'conn_x', { api_key: 'k' });
    expect(await decryptFor(h.tenantId, 'conn_x', sealed)).toEqual({ api_key: 'k' });
    // Everything else catches up with that version.
    await rotateDataKey({ addVersion: false });
  });
});

describe('signatures verify with the current and previous version only', () => {
  it('an end-user token and a cursor survive one rotation, not two', async () => {
    const minted = await api('/v1/end-user-tokens', { method: 'POST', body: { end_user_id: 'u_1' } });
    const token = minted.body.data.token as string;
    const first = await api('/v1/tools?limit=1');
    const cursor = encodeURIComponent(first.body.data.next_cursor as string);

    await rotateDataKey();
    expect((await api('/v1/connections', { key: token })).status).toBe(200);
    expect((await api(`/v1/tools?limit=1&cursor=${cursor}`)).status).toBe(200);

    await rotateDataKey();
    expectError(await api('/v1/connections', { key: token }), 401, 'unauthorized');
    expectError(await api(`/v1/tools?limit=1&cursor=${cursor}`), 400, 'invalid_cursor');
    // Credentials sealed long ago still decrypt: only signatures are cut.
    expect((await api(`/v1/connections/${ids[1]}`)).status).toBe(200);
  });
});

describe('retire-data-keys', () => {
  it('waits out the key cache after a rotation', async () => {
    await expect(retireDataKeys({ keep: 2 })).rejects.toThrow(/warm Lambdas/);
  });

  it('refuses while anything is sealed under a retiring version, naming it; retires once re-sealed', async () => {
    const record = await secretRecord();
    const oldest = String(
      Math.min(
        ...Object.keys(record)
          .filter((k) => /^k\d+$/.test(k))
          .map((k) => Number(k.slice(1))),
      ),
    );
    // A straggler: one connection still sealed under the oldest version.
    const c = await getConnection(h.tenantId, ids[0] as string);
    const plain = await credentialsOf(c as NonNullable<typeof c>);
    const old = sealUnder(oldest, record[`k${oldest}`] as string, h.tenantId, ids[0] as string, plain);
    expect(await resealIfUnchanged(c as NonNullable<typeof c>, old)).toBe(true);

    const refused = await retireDataKeys({ keep: 2, now: later() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RetireRefused);
    const report = (refused as RetireRefused).report;
    expect(report.still_sealed).toEqual({ [`connections under v${oldest}`]: 1 });
    expect(report.examples).toEqual([`connection ${ids[0]} (tenant ${h.tenantId}, v${oldest})`]);
    expect(Object.keys(await secretRecord())).toEqual(Object.keys(record)); // nothing removed

    expect((await rotateDataKey({ addVersion: false })).resealed.connections).toBe(1);
    const r = await retireDataKeys({ keep: 2, now: later() });
    const current = Number(record.current);
    expect(r.kept).toEqual([String(current), String(current - 1)]);
    expect(r.retired).toContain(oldest);
    const after = await secretRecord();
    expect(
      Object.keys(after)
        .filter((k) => /^k\d+$/.test(k))
        .sort(),
    ).toEqual([`k${current - 1}`, `k${current}`].sort());
    forgetDataKeys();
    for (const id of ids) {
      const conn = await getConnection(h.tenantId, id);
      expect(await credentialsOf(conn as NonNullable<typeof conn>)).toEqual(fake.valid);
    }
    const sub = await getSubscription(h.tenantId, subscription.id);
    expect(await decryptFor(h.tenantId, subscription.id, sub?.previous_sealed_secret as string)).toBe(
      subscription.secret,
    );
    expect(await decryptFor(h.tenantId, subscription.id, sub?.sealed_secret as string)).toBe(newSecret);
    // Nothing older is left to retire.
    expect((await retireDataKeys({ keep: 2, now: later() })).retired).toEqual([]);
  });

  it('npm run admin -- retire-data-keys --keep 2: refused with exit code 2 right after a rotation', async () => {
    await rotateDataKey();
    const run = promisify(execFile);
    const root = resolve(import.meta.dirname, '../..');
    const admin = (...args: string[]) =>
      run(resolve(root, 'node_modules/.bin/tsx'), ['local/admin.ts', '--aws', ...args], {
        cwd: root,
        env: process.env,
      });
    await expect(admin('retire-data-keys', '--keep', '2')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('refused: Version'),
    });
    await expect(admin('retire-data-keys', '--keep', '0')).rejects.toMatchObject({ code: 2 });
  });
});
