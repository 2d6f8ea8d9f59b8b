import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { putKey } from '../../core/store/tenants-repo';
import { generateSecretKey, hashSecret } from '../../core/tenants/tenants';
import { type Gateway, startGateway } from '../../local/gateway';

// `npm run admin` as a user runs it, against this run's tables (the --aws path: the
// stack's resources come from the environment, as they would from stack outputs).
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const admin = async (...args: string[]) => {
  const { stdout } = await run(resolve(root, 'node_modules/.bin/tsx'), ['local/admin.ts', '--aws', ...args], {
    cwd: root,
    env: process.env,
  });
  return stdout.trim().split('\n');
};

let gateway: Gateway;
beforeAll(async () => {
  gateway = await startGateway(0);
});
afterAll(() => gateway.stop());

const providers = (key: string) =>
  fetch(`${gateway.url}/v1/providers`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);

it('creates a tenant and a key, lists it, and revokes it', async () => {
  const tenantId = (await admin('create-tenant', 'Acme Corp')).at(-1) as string;
  expect(tenantId).toMatch(/^ten_[0-9a-z]{26}$/);

  const created = await admin('create-key', tenantId);
  const key = created.at(-1) as string;
  expect(key).toMatch(/^sk_live_[\w-]{43}$/);
  expect(await providers(key)).toBe(200);

  const listed = (await admin('list-keys', tenantId)).join('\n');
  const keyId = /key_[0-9a-z]{26}/.exec(listed)?.[0] as string;
  expect(listed).toContain(`sk_live_…${key.slice(-4)}`);
  expect(listed).not.toContain(key); // the secret is shown once, never listed

  await admin('revoke-key', keyId);
  expect(await providers(key)).toBe(401);
  expect((await admin('list-keys', tenantId)).join('\n')).toContain('revoked');
});

it('test keys exist only on test tenants: a sk_test_ key never reaches a live tenant’s data', {
  timeout: 90_000,
}, async () => {
  const live = (await admin('create-tenant', 'Live Co')).at(-1) as string;
  await expect(admin('create-key', live, '--test')).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('is a live tenant'),
  });
  const sandbox = (await admin('create-tenant', 'Sandbox', '--test')).at(-1) as string;
  const testKey = (await admin('create-key', sandbox)).at(-1) as string;
  expect(testKey).toMatch(/^sk_test_[\w-]{43}$/);
  expect(await providers(testKey)).toBe(200);

  // A test key made on a live tenant before tenants had a mode is refused at the door.
  const legacy = generateSecretKey('test');
  await putKey(
    {
      key_id: 'key_legacymixed0000000000000',
      tenant_id: live,
      mode: 'test',
      last4: legacy.slice(-4),
      created_at: new Date().toISOString(),
    },
    hashSecret(legacy),
  );
  expect(await providers(legacy)).toBe(401);
});

it('refuses a key for a tenant that does not exist, with exit code 2', async () => {
  await expect(admin('create-key', 'ten_01abcdefghjkmnpqrstvwxyz0')).rejects.toMatchObject({ code: 2 });
});

it('prints usage for an unknown command', async () => {
  await expect(admin('frobnicate')).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('usage'),
  });
});
