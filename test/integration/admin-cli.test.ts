import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { deadLetterQueueEnv, queues } from '../../core/platform/resources';
import { putKey } from '../../core/store/tenants-repo';
import { generateSecretKey, hashSecret } from '../../core/tenants/tenants';
import { type Gateway, startGateway } from '../../local/gateway';

// `npm run admin` as a user runs it, against this run's tables (the --aws path: the
// stack's resources come from the environment, as they would from stack outputs).
const run = promisify(execFile);
// Each case runs `npm run admin` several times, a fresh tsx process each (~2-5 s apiece on a
// loaded 2-core machine): a ceiling on a hung command, not a speed claim.
vi.setConfig({ testTimeout: 120_000 });

const root = resolve(import.meta.dirname, '../..');
const adminWith = async (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const { stdout } = await run(resolve(root, 'node_modules/.bin/tsx'), ['local/admin.ts', '--aws', ...args], {
    cwd: root,
    env,
  });
  return stdout.trim().split('\n');
};
const admin = (...args: string[]) => adminWith(process.env, ...args);

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

it('redrive moves a queue’s dead letters back to it; --dry-run only counts them', {
  timeout: 90_000,
}, async () => {
  // A queue pair of this test's own (the shared ones have consumers in other files), named to
  // the admin command as the outbound queue through its environment variables.
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const name = `redrive-${Date.now()}`;
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl as string;
  const source = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl as string;
  const env = { ...process.env, [queues.outbound.env]: source, [deadLetterQueueEnv(queues.outbound)]: dlq };
  const count = async (url: string) =>
    Number(
      (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        )
      ).Attributes?.ApproximateNumberOfMessages,
    );
  try {
    const bodies = Array.from({ length: 13 }, (_, i) => JSON.stringify({ n: i }));
    for (const b of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: dlq, MessageBody: b }));

    const dry = await adminWith(env, 'redrive', 'outbound', '--dry-run');
    expect(dry).toEqual(['13 messages in the outbound dead-letter queue', 'dry run: nothing moved']);
    expect(await count(dlq)).toBe(13);
    expect(await count(source)).toBe(0);

    // fauxqs has no StartMessageMoveTask: the command copies them back in batches of ten.
    const moved = await adminWith(env, 'redrive', 'outbound');
    expect(moved).toEqual([
      '13 messages in the outbound dead-letter queue',
      'moved 13 back to the outbound queue',
    ]);
    expect(await count(dlq)).toBe(0);
    const back: string[] = [];
    for (let i = 0; i < 5 && back.length < 13; i++) {
      const r = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: source, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      back.push(...(r.Messages ?? []).map((m) => m.Body as string));
    }
    expect(back.sort()).toEqual([...bodies].sort());

    expect(await adminWith(env, 'redrive', 'outbound')).toEqual([
      '0 messages in the outbound dead-letter queue',
      'moved 0 back to the outbound queue',
    ]);
    await expect(adminWith(env, 'redrive', 'nope')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage'),
    });
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl: source }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: dlq }));
    sqs.destroy();
  }
});
