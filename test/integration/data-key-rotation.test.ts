import { createCipheriv, randomBytes } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { credentialsOf } from '../../core/connections/connections';
import { decryptFor, encryptFor, keyVersionOf } from '../../core/keys/credentials-crypto';
import { deriveKey, forgetDataKeys } from '../../core/keys/data-key';
import { rotateDataKey } from '../../core/keys/rotation';
import { secretsClient } from '../../core/platform/aws';
import { secretId } from '../../core/platform/config';
import { getConnection } from '../../core/store/connections-repo';
import { type GitHubFake, startGitHubFake } from '../fakes/github';
import { call, type Harness, startHarness } from './harness';

let h: Harness;
let fake: GitHubFake;
const ids: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  fake = await startGitHubFake();
  const post = (path: string, body: unknown) =>
    call(h.gateway.url, path, { key: h.key, method: 'POST', body: JSON.stringify(body) });
  await post('/v1/integrations', {
    unique_key: 'gh-rot',
    provider: 'github',
    endpoints: { api_base_url: fake.apiBaseUrl },
  });
  for (const user of ['u_1', 'u_2']) {
    const r = await post('/v1/connections', {
      integration: 'gh-rot',
      end_user_id: user,
      credentials: fake.valid,
    });
    ids.push(r.body.data.id);
  }
});
afterAll(async () => {
  await h.stop();
  await fake.stop();
});

it('adds a key version and re-encrypts every connection still on an older one', async () => {
  const before = await Promise.all(ids.map((id) => getConnection(h.tenantId, id)));
  const oldVersion = keyVersionOf(before[0]?.sealed as string);

  const r = await rotateDataKey();
  expect(Number(r.current_version)).toBe(Number(oldVersion) + 1);
  expect(r.reencrypted).toBeGreaterThanOrEqual(ids.length); // other files' connections count too

  const secret = JSON.parse(
    (await secretsClient().send(new GetSecretValueCommand({ SecretId: secretId('dataKey') })))
      .SecretString as string,
  );
  expect(secret.current).toBe(r.current_version);
  expect(secret[`k${oldVersion}`]).toBeDefined(); // old versions stay for warm Lambdas

  forgetDataKeys();
  for (const id of ids) {
    const c = await getConnection(h.tenantId, id);
    expect(keyVersionOf(c?.sealed as string)).toBe(r.current_version);
    expect(await credentialsOf(c as NonNullable<typeof c>)).toEqual(fake.valid);
  }
  // The API still serves them, and a second run has nothing left to do.
  expect((await call(h.gateway.url, `/v1/connections/${ids[0]}`, { key: h.key })).status).toBe(200);
  const again = await rotateDataKey({ addVersion: false });
  expect(again.reencrypted).toBe(0);
});

it('a warm container whose cached keys predate a rotation still decrypts newer ciphertexts', async () => {
  forgetDataKeys();
  await encryptFor(h.tenantId, 'conn_x', {}); // this container's cache: the current versions
  // Another container rotates: a new version becomes current in Secrets Manager only.
  const sm = secretsClient();
  const record = JSON.parse(
    (await sm.send(new GetSecretValueCommand({ SecretId: secretId('dataKey') }))).SecretString as string,
  ) as Record<string, string>;
  const next = String(Number(record.current) + 1);
  record[`k${next}`] = randomBytes(48).toString('base64url');
  record.current = next;
  await sm.send(
    new PutSecretValueCommand({ SecretId: secretId('dataKey'), SecretString: JSON.stringify(record) }),
  );
  // …and seals credentials under it (the layout of core/keys/credentials-crypto.ts).
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(record[`k${next}`] as string, 'credentials'), iv);
  cipher.setAAD(Buffer.from(`tenant:${h.tenantId}|connection:conn_x`));
  const ct = Buffer.concat([cipher.update(JSON.stringify({ api_key: 'k' })), cipher.final()]);
  const sealed = [`v${next}`, iv, ct, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
  // This container's cache doesn't know that version yet: it must reload, not fail.
  expect(await decryptFor(h.tenantId, 'conn_x', sealed)).toEqual({ api_key: 'k' });
});
