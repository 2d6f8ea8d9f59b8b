import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, setPriority } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateQueueCommand, DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { createConnection } from '../../core/connections/create';
import { createIntegration } from '../../core/integrations/integrations';
import { dynamo } from '../../core/platform/aws';
import { awsJson } from '../../core/platform/aws-call';
import { tableName } from '../../core/platform/config';
import { logger } from '../../core/platform/log';
import { sqsClient } from '../../core/platform/sqs';
import { recordsPk } from '../../core/store/records-repo';
import { listConnectionSyncs, updateConnectionSync } from '../../core/syncs/syncs';
import { createTenant } from '../../core/tenants/tenants';
import { receiverCacheStats } from '../../core/webhooks/receive';
import { startLocalRuntime } from '../../local/runtime';
import { startGitHubFake } from '../fakes/github';
import { pct } from './percentile';

/**
 * Webhook load: signed GitHub `issues` events at 500 req/s for 60 s, from a second process,
 * into the local function URL (the receiver Lambda's code behind the local gateway), with
 * the real processor in its own process draining the queue into the records table
 * meanwhile. 1 request in 100 is a redelivery of an earlier one (same delivery id and body).
 * Reports, in one run: the floor — a bare SendMessage loop at the same rate against the same
 * fauxqs, the one durable write the receiver makes per event — then (the receiver warmed by
 * one refused request: its module and cache loaded before the clock starts) the receiver's
 * acknowledgement latency (p50/p99 as the sender saw it), accepted, applied (records),
 * lost, duplicates dropped (counted on the processor's claims), each second's p99 (a tail
 * spread over the run, or bunched in a few seconds: a pause of the process), and the hit rate
 * of the receiver's integration + secret cache.
 *
 * Targets: p99 ≤ 1.5× the floor's p99 and ≤ 50 ms; 0 lost; after the drain every accepted
 * delivery applied once (one claim `done` each) and every accepted copy dropped.
 *
 *   npm run bench -- webhooks [--rate=500] [--seconds=60] [--floor-seconds=<seconds>]
 *                             [--redeliver-every=100] [--processor=concurrent|after]
 *
 * `--processor=after` starts the queue workers only once sending is over: the receiver's
 * acknowledgement latency without the processor competing for this machine's cores (on
 * AWS it is another Lambda); the events then drain from the queue into the records.
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/webhooks');
const TARGETS = { p99Ms: 50, p99OverFloor: 1.5, lost: 0 } as const;

const arg = (args: readonly string[], name: string, fallback: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a === undefined ? fallback : Number(a.slice(name.length + 3));
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} takes a number ≥ 0`);
  return v;
};

type SenderOut = {
  sent: number;
  redeliveriesSent: number;
  accepted: number;
  acceptedDeliveries: number;
  copiesAccepted: number;
  statuses: Record<string, number>;
  achievedRate: number;
  p50: number;
  p99: number;
  max: number;
  /** Each second's p99 (by when its requests were due). */
  p99BySecond: number[];
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
 * The floor: the one durable write the receiver makes per event — an SQS SendMessage, through
 * the very call the receiver makes (core/platform/aws-call.ts) — alone, at the same rate, from
 * the same process, against the same fauxqs (a queue of its own, so the processor never sees
 * these): the receiver can't answer faster than its queue.
 */
const sendFloor = async (rate: number, seconds: number) => {
  const sqs = sqsClient();
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `bench-floor-${Date.now()}` }));
  const body = JSON.stringify({ floor: true, pad: 'x'.repeat(1500) }); // about a webhook message's size
  const lat: number[] = [];
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < rate * seconds; i++) {
    const wait = t0 + (i * 1000) / rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      (async () => {
        const t = performance.now();
        await awsJson('sqs', 'SendMessage', { QueueUrl, MessageBody: body });
        lat.push(performance.now() - t);
      })(),
    );
  }
  await Promise.all(inflight);
  await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99), max: lat.at(-1) ?? 0 };
};

/** The processor's delivery-id claims of this tenant: how many are done, and the copies each dropped. */
const claimsOf = async (tenantId: string) => {
  let done = 0;
  let claims = 0;
  let duplicates = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const r = await dynamo().send(
      new ScanCommand({
        TableName: tableName('dedupe'),
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': `WH#${tenantId}#` },
        ProjectionExpression: '#s, duplicates',
        ExpressionAttributeNames: { '#s': 'state' },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) {
      claims++;
      if (i.state === 'done') done++;
      duplicates += Number(i.duplicates ?? 0);
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return { claims, done, duplicates };
};

/**
 * Nice 10 for every thread of a process: on Linux a priority belongs to a thread, and a
 * JVM (or Node's libuv pool) works on threads other than its first.
 */
const lowerPriority = (pid: number) => {
  let tids: string[] = [String(pid)];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    // not Linux: the process's first thread only
  }
  for (const tid of tids) {
    try {
      setPriority(Number(tid), 10);
    } catch {
      // a thread that ended meanwhile
    }
  }
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

/** The sender fixture (bundled) against `url`, in a process of its own; its one JSON line. */
const runSender = (
  sender: string,
  o: {
    url: string;
    secret: string;
    rate: number;
    seconds: number;
    redeliverEvery: number;
    fake: { account: { id: string | number; name: string } };
  },
) =>
  new Promise<SenderOut>((ok, fail) => {
    const child = spawn(process.execPath, [sender], {
      env: {
        PATH: process.env.PATH ?? '',
        BENCH_URL: o.url,
        BENCH_SECRET: o.secret,
        BENCH_RATE: String(o.rate),
        BENCH_SECONDS: String(o.seconds),
        BENCH_OWNER_ID: String(o.fake.account.id),
        BENCH_OWNER_LOGIN: o.fake.account.name,
        BENCH_REPO: `${o.fake.account.name}/load`,
        BENCH_REDELIVER_EVERY: String(o.redeliverEvery),
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

/**
 * A second floor, reported beside the first (the issue's target is judged against the
 * first): the acknowledgement path with none of our code. The same sender, at the same
 * rate, posts to a bare node:http server in this process (where the receiver runs) that
 * sends each body to SQS (the receiver's call) and answers 200 — one HTTP request in and one
 * SendMessage, no gateway, middy, signature check or routing. On AWS the inbound hop is the function URL's
 * service, not the function's CPU; here it shares the receiver's event loop and cores, so
 * the receiver's p99 over this one is what our own code adds.
 */
const sendHttpFloor = async (
  sender: string,
  o: { rate: number; seconds: number; fake: { account: { id: string | number; name: string } } },
) => {
  const sqs = sqsClient();
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: `bench-http-floor-${Date.now()}` }),
  );
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      awsJson('sqs', 'SendMessage', { QueueUrl, MessageBody: Buffer.concat(chunks).toString('utf8') }).then(
        () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        },
        () => {
          res.writeHead(500);
          res.end();
        },
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  try {
    const out = await runSender(sender, {
      url: `http://127.0.0.1:${port}/floor`,
      secret: 'floor',
      rate: o.rate,
      seconds: o.seconds,
      redeliverEvery: 0,
      fake: o.fake,
    });
    return { p50: out.p50, p99: out.p99, max: out.max, refused: out.sent - out.accepted };
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }
};

export const runWebhooksBench = async (args: readonly string[]): Promise<void> => {
  const rate = arg(args, 'rate', 500);
  const seconds = arg(args, 'seconds', 60);
  // As long as the receiver's run by default: a p99 over fewer requests weighs the first
  // seconds' warm-up (sockets opened, code compiled) more.
  const floorSeconds = arg(args, 'floor-seconds', seconds);
  const redeliverEvery = arg(args, 'redeliver-every', 100);
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
  // DynamoDB Local too: the acknowledgement path no longer touches it (the receiver's
  // lookups are cached), so what it does meanwhile is the processor's work.
  // SQS (fauxqs) in a process of its own, at the normal priority: both sides use it.
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
      if (child.pid !== undefined) lowerPriority(child.pid);
      return child;
    };
    if (runtime.dynamoPid !== undefined) lowerPriority(runtime.dynamoPid);
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

    const loadBefore = loadavg()[0] as number;
    console.log(`floor: SendMessage alone to the same fauxqs at ${rate}/s for ${floorSeconds} s…`);
    const floor = await sendFloor(rate, floorSeconds);
    console.log(`  p50 ${floor.p50.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms`);
    console.log(
      `HTTP floor: the same sender, for ${floorSeconds} s, to a bare server that sends each body to SQS and answers…`,
    );
    const httpFloor = await sendHttpFloor(sender, { rate, seconds: floorSeconds, fake });
    console.log(`  p50 ${httpFloor.p50.toFixed(1)} ms, p99 ${httpFloor.p99.toFixed(1)} ms`);
    // The receiver warm: its module and the provider's code loaded and the integration and its
    // secret cached, by one request with a wrong signature (refused 401,
    // nothing queued). Cold starts are the handler bench's (`npm run bench -- handlers`): the
    // first request here would otherwise hold up a second's worth behind one module load.
    const warm = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'x-github-event': 'ping',
        'x-github-delivery': 'warm-up',
        'x-hub-signature-256': 'sha256=00',
      },
      body: '{}',
    });
    if (warm.status !== 401) throw new Error(`warming the receiver: expected 401, got ${warm.status}`);
    const cacheBefore = receiverCacheStats();
    console.log(`sending from a second process to ${webhookUrl}…`);
    const out = await runSender(sender, { url: webhookUrl, secret, rate, seconds, redeliverEvery, fake });
    const loadDuring = loadavg()[0] as number;
    const cacheAfter = receiverCacheStats();
    const cache = {
      hits: cacheAfter.hits - cacheBefore.hits,
      stale: cacheAfter.stale - cacheBefore.stale,
      joined: cacheAfter.joined - cacheBefore.joined,
      lookups: cacheAfter.lookups - cacheBefore.lookups,
    };
    const served = cache.hits + cache.joined + cache.lookups;
    const hitRate = served ? cache.hits / served : 0;
    console.log(
      `sent ${out.sent} (${out.redeliveriesSent} redeliveries) at ${out.achievedRate.toFixed(0)} req/s; statuses ${JSON.stringify(out.statuses)}`,
    );

    if (processorAfter) workers = await startWorkers();
    // Every accepted delivery must reach the records once, and every accepted copy be
    // dropped: wait while the processor makes progress.
    const t = performance.now();
    let applied = 0;
    let claims = { claims: 0, done: 0, duplicates: 0 };
    let last = '';
    let still = performance.now();
    while (performance.now() - still < 30_000) {
      await new Promise((r) => setTimeout(r, 1000));
      applied = await countRecords(pk);
      if (applied >= out.acceptedDeliveries) claims = await claimsOf(tenant.tenant_id);
      if (applied >= out.acceptedDeliveries && claims.duplicates >= out.copiesAccepted) break;
      const progress = `${applied}/${claims.duplicates}`;
      if (progress !== last) {
        last = progress;
        still = performance.now();
      }
    }
    claims = await claimsOf(tenant.tenant_id);
    const drainS = (performance.now() - t) / 1000;
    // Applied beyond the accepted: requests answered 5xx (the provider would retry) whose
    // message was queued all the same — applied, and a retry would be a duplicate.
    const lost = Math.max(0, out.acceptedDeliveries - applied);
    const ratio = floor.p99 > 0 ? out.p99 / floor.p99 : Number.POSITIVE_INFINITY;
    const misses = [
      ...(out.p99 > TARGETS.p99Ms ? ['p99 > 50 ms'] : []),
      ...(ratio > TARGETS.p99OverFloor ? ['p99 > 1.5× floor'] : []),
      ...(lost > TARGETS.lost ? ['lost'] : []),
      ...(claims.done !== applied ? ['not applied once'] : []),
      ...(claims.duplicates < out.copiesAccepted ? ['copies not dropped'] : []),
      ...(out.accepted < out.sent ? ['refused'] : []),
    ];
    console.table([
      {
        'req/s': out.achievedRate.toFixed(0),
        sent: out.sent,
        accepted: out.accepted,
        'accepted deliveries': out.acceptedDeliveries,
        applied,
        lost,
        'copies accepted': out.copiesAccepted,
        'duplicates dropped': claims.duplicates,
        'claims done': claims.done,
        'ack p50 ms': out.p50.toFixed(1),
        'ack p99 ms': out.p99.toFixed(1),
        'ack max ms': out.max.toFixed(1),
        'floor p50 ms': floor.p50.toFixed(1),
        'floor p99 ms': floor.p99.toFixed(1),
        'p99 / floor p99': ratio.toFixed(2),
        'HTTP floor p99 ms': httpFloor.p99.toFixed(1),
        'p99 / HTTP floor p99': (out.p99 / httpFloor.p99).toFixed(2),
      },
    ]);
    const slowest = out.p99BySecond
      .map((p99, second) => ({ second, p99 }))
      .sort((a, b) => b.p99 - a.p99)
      .slice(0, 5);
    console.log(
      `each second's p99: median ${pct(
        [...out.p99BySecond].sort((a, b) => a - b),
        50,
      ).toFixed(1)} ms; slowest ${slowest.map((x) => `s${x.second} ${x.p99} ms`).join(', ')}`,
    );
    console.log(
      `receiver cache: ${(hitRate * 100).toFixed(2)}% hits (${cache.hits} hits, ${cache.stale} of them while refreshing; ${cache.joined} waited for a lookup, ${cache.lookups} lookups)`,
    );
    console.log(
      `drained ${drainS.toFixed(1)} s after sending; load average ${loadBefore.toFixed(1)} before, ${loadDuring.toFixed(1)} at the end of sending (2 cores)`,
    );
    console.log(
      `targets: p99 ≤ ${TARGETS.p99OverFloor}× floor p99 and ≤ ${TARGETS.p99Ms} ms, 0 lost, every delivery applied once, every copy dropped; processor ${processorAfter ? 'started after sending' : 'running meanwhile (own process)'} → ${misses.length ? `MISS ${misses.join(', ')}` : 'ok'}`,
    );
    await writeFile(
      join(repoRoot, '.bench/webhooks.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          rate,
          seconds,
          processorAfter,
          ...out,
          applied,
          lost,
          claims,
          drainS,
          floor,
          p99OverFloor: ratio,
          httpFloor,
          p99OverHttpFloor: out.p99 / httpFloor.p99,
          cache: { ...cache, hitRate },
          loadavg: { before: loadBefore, endOfSending: loadDuring },
          misses,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    workers?.kill('SIGTERM');
    await fake.stop();
    await runtime.stop();
    sqs.child.kill('SIGTERM');
  }
};
