import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { createConnection } from '../../core/connections/create';
import { createIntegration } from '../../core/integrations/integrations';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { logger } from '../../core/platform/log';
import { recordsPk } from '../../core/store/records-repo';
import { listConnectionSyncs, updateConnectionSync } from '../../core/syncs/syncs';
import { createTenant } from '../../core/tenants/tenants';
import { startLocalRuntime } from '../../local/runtime';
import { startGitHubFake } from '../fakes/github';

/**
 * Webhook load: signed GitHub `issues` events at 500 req/s for 60 s, from a second
 * process, into the local function URL (the receiver Lambda's code behind the local
 * gateway), with the real processor (its own process) draining the queue into the records table. Reports
 * acknowledgement latency (p50/p99 as the sender saw it), the accepted count, and how
 * many reached the records — every accepted event must (targets: 0 lost, p99 ≤ 50 ms).
 *
 *   npm run bench -- webhooks [--rate=500] [--seconds=60] [--processor=concurrent|after]
 *
 * `--processor=after` starts the queue workers only once sending is over: the receiver's
 * acknowledgement latency without the processor competing for this machine's cores (on
 * AWS it is another Lambda); the events then drain from the queue into the records.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/webhooks');
const TARGETS = { p99Ms: 50, lost: 0 } as const;

const arg = (args: readonly string[], name: string, fallback: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a === undefined ? fallback : Number(a.slice(name.length + 3));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} takes a positive number`);
  return v;
};

type SenderOut = {
  sent: number;
  accepted: number;
  statuses: Record<string, number>;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
};

const countRecords = async (pk: string): Promise<number> => {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new QueryCommand({
        TableName: tableName('records'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    n += r.Count ?? 0;
    start = r.LastEvaluatedKey;
  } while (start);
  return n;
};

/**
 * The floor: the one write the receiver must make per event (the conditional put that
 * claims a delivery id), alone, at the same rate against the same DynamoDB Local — the
 * receiver's latency can't be better than its own storage's.
 */
const claimFloor = async (rate: number, seconds: number) => {
  const lat: number[] = [];
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      (async () => {
        const t = performance.now();
        await dynamo().send(
          new PutCommand({
            TableName: tableName('dedupe'),
            Item: { pk: `WH#floor#${t0}#${i}`, expires_at: Math.floor(Date.now() / 1000) + 600 },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        lat.push(performance.now() - t);
      })(),
    );
  }
  await Promise.all(inflight);
  lat.sort((a, b) => a - b);
  return { p50: lat[Math.floor(lat.length / 2)] ?? 0, p99: lat[Math.floor(lat.length * 0.99)] ?? 0 };
};

/** A fixture of test/bench/fixtures in a process of its own (tsx), once it prints its first line. */
const startHelper = async (fixture: string, env: NodeJS.ProcessEnv) => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/bench/fixtures', fixture)], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = await new Promise<string>((ok, fail) => {
    child.stdout?.once('data', (d: Buffer) => ok(d.toString().trim().split('\n')[0] as string));
    child.once('exit', (code) => fail(new Error(`${fixture} exited ${code}`)));
  });
  return { child, firstLine };
};

export const runWebhooksBench = async (args: readonly string[]): Promise<void> => {
  const rate = arg(args, 'rate', 500);
  const seconds = arg(args, 'seconds', 60);
  const processorAfter = args.includes('--processor=after');
  await mkdir(outDir, { recursive: true });
  const sender = join(outDir, 'webhook-sender.mjs');
  await build({
    entryPoints: [join(repoRoot, 'test/bench/fixtures/webhook-sender.ts')],
    outfile: sender,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    logLevel: 'warning',
  });

  // An access line per request would be most of what this process writes.
  logger.setLogLevel('WARN');
  console.log(`${rate} req/s for ${seconds} s; starting the service locally (in memory)…`);
  // The receiver (behind the local function URL) in this process; the queue workers in a
  // third, at a lower CPU priority: on AWS they are other Lambdas with their own CPU, here
  // they share two cores with DynamoDB Local and fauxqs and must not starve the receiver.
  // SQS (fauxqs) in a process of its own too: in-process it would share the receiver's event loop.
  const sqs = await startHelper('sqs-server.ts', process.env);
  const sqsEndpoint = sqs.firstLine;
  const runtime = await startLocalRuntime({ port: 0, scheduler: false, workers: [], sqsEndpoint });
  const fake = await startGitHubFake();
  let workers: ChildProcess | undefined;
  try {
    const startWorkers = async () => {
      const { child } = await startHelper('queue-workers.ts', {
        ...process.env,
        BENCH_QUEUES: 'webhook,sync,outbound',
      });
      if (child.pid !== undefined) setPriority(child.pid, 10);
      return child;
    };
    if (!processorAfter) workers = await startWorkers();
    const tenant = await createTenant('webhook-bench');
    const secret = `bench-webhook-secret-${Date.now()}`;
    await createIntegration(tenant.tenant_id, {
      unique_key: 'gh-bench',
      provider: 'github',
      webhook_secret: secret,
      endpoints: { api_base_url: fake.apiBaseUrl },
    });
    const { connection } = await createConnection(tenant.tenant_id, {
      integration: 'gh-bench',
      end_user_id: 'bench',
      credentials: fake.valid,
    });
    // Only webhook writes in the table: no scheduled run.
    for (const s of (await listConnectionSyncs(tenant.tenant_id, connection.id)).syncs) {
      await updateConnectionSync(tenant.tenant_id, connection.id, s.name, { paused: true });
    }
    const pk = recordsPk(tenant.tenant_id, connection.id, 'work_item');
    const webhookUrl = `${runtime.url}/webhooks/${tenant.tenant_id}/gh-bench`;

    const floorSeconds = Math.min(10, seconds);
    console.log(`floor: DynamoDB Local conditional puts alone at ${rate}/s for ${floorSeconds} s…`);
    const floor = await claimFloor(rate, floorSeconds);
    console.log(`  p50 ${floor.p50.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms`);
    console.log(`sending from a second process to ${webhookUrl}…`);
    const out = await new Promise<SenderOut>((ok, fail) => {
      const child = spawn(process.execPath, [sender], {
        env: {
          PATH: process.env.PATH ?? '',
          BENCH_URL: webhookUrl,
          BENCH_SECRET: secret,
          BENCH_RATE: String(rate),
          BENCH_SECONDS: String(seconds),
          BENCH_OWNER_ID: fake.account.id,
          BENCH_OWNER_LOGIN: fake.account.name,
          BENCH_REPO: `${fake.account.name}/load`,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
      });
      child.on('close', (code) => {
        try {
          if (code !== 0) throw new Error(`sender exited ${code}`);
          ok(JSON.parse(text.trim().split('\n').at(-1) ?? '') as SenderOut);
        } catch (e) {
          fail(e);
        }
      });
    });
    console.log(
      `sent ${out.sent} at ${out.achievedRate.toFixed(0)} req/s; statuses ${JSON.stringify(out.statuses)}`,
    );

    if (processorAfter) workers = await startWorkers();
    // Every accepted event must reach the records: wait while the processor makes progress.
    const t = performance.now();
    let reached = 0;
    let last = -1;
    let still = performance.now();
    while (reached < out.accepted && performance.now() - still < 30_000) {
      await new Promise((r) => setTimeout(r, 1000));
      reached = await countRecords(pk);
      if (reached !== last) {
        last = reached;
        still = performance.now();
      }
    }
    const drainS = (performance.now() - t) / 1000;
    const lost = out.accepted - reached;
    const misses = [
      ...(out.p99 > TARGETS.p99Ms ? ['p99'] : []),
      ...(lost > TARGETS.lost ? ['lost'] : []),
      ...(out.accepted < out.sent ? ['refused'] : []),
    ];
    console.table([
      {
        'req/s': out.achievedRate.toFixed(0),
        sent: out.sent,
        accepted: out.accepted,
        'in records': reached,
        lost,
        'p50 ms': out.p50.toFixed(1),
        'p99 ms': out.p99.toFixed(1),
        'max ms': out.max.toFixed(1),
        'drain s after sending': drainS.toFixed(1),
        'floor p99 ms (one DynamoDB Local put)': floor.p99.toFixed(1),
        verdict: misses.length ? `MISS ${misses.join(', ')}` : 'ok',
      },
    ]);
    console.log(
      `targets: 0 lost, p99 ≤ ${TARGETS.p99Ms} ms; processor ${processorAfter ? 'started after sending' : 'running meanwhile (own process)'}`,
    );
    await writeFile(
      join(repoRoot, '.bench/webhooks.json'),
      `${JSON.stringify({ at: new Date().toISOString(), rate, seconds, processorAfter, ...out, reached, lost, drainS, floor, misses }, null, 2)}\n`,
    );
  } finally {
    workers?.kill('SIGTERM');
    await fake.stop();
    await runtime.stop();
    sqs.child.kill('SIGTERM');
  }
};
