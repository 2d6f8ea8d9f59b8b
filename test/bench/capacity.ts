import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MeteredRequest } from '../../core/platform/capacity-meter';
import type { QueueName } from '../../core/platform/resources';
import { queues } from '../../core/platform/resources';
import { SCHEDULE_SHARDS } from '../../core/store/schedule-repo';
import { LANES } from '../../core/syncs/scheduler';
import type { logger } from '../../functions/middleware/logger';
import {
  type QueueWorker,
  queueWorkers,
  schedulerWorker,
  webhookReceiver,
  workers,
} from '../../functions/workers';
import { functionNameOf, lambdaContext } from '../../local/lambda-context';
import { loadHandler } from '../../local/load-handler';
import { startGitHubFake } from '../fakes/github';
import { startWebhookReceiver } from '../fakes/webhook-outbox';
import {
  ACTIVITIES,
  type Activity,
  addRequest,
  concurrencyAt,
  costOf,
  type GroupTiming,
  groupDurations,
  hotPartitionRate,
  monthlyCost,
  type PerActivityCost,
  PRICES,
  partitionShare,
  patternLoads,
  placeRates,
  SCENARIO,
  SPLITS_FOR_HEAT,
  secondsPerMonth,
  type Totals,
  zeroTotals,
} from './capacity-model';
import { githubIssueEvent } from './fixtures/github-issue-event';

/**
 * `npm run bench -- capacity [--connections=1000] [--backfill=100000] [--burst=2000]
 *                            [--api=300] [--lanes=8] [--context=<name>=<n>,…]
 *                            [--account-concurrency=1000]`
 *
 * The capacity model (docs/scale.md): on the local stack, N GitHub connections × 3 hourly
 * syncs through one simulated hour — the scheduler's handler called every minute with a moved
 * clock (its event's `time`), the sync queue drained after each tick — against the GitHub
 * fake, 5 changed records per sync between runs; then the outbound deliveries those runs
 * made, a backfill of `--backfill` issues on one connection, a burst of `--burst` signed
 * webhook events on one org, and `--api` requests from a small driver. CAPACITY_LOG makes the
 * SDK clients append every DynamoDB, SQS and Secrets Manager request to a file
 * (core/platform/capacity-meter.ts); CAPACITY_LABEL names the function group running, one
 * group at a time. It prints the cost of each activity, then extrapolates (capacity-model.ts)
 * to the scenario: the hottest partition of each key pattern, each function group's
 * concurrency, and the month's cost.
 *
 * Queue workers run in this process, `--lanes` invocations at a time, from a drain loop of
 * the bench (the local event source's own receives and deletes are not the service's; the
 * model counts the Lambda event source's two per batch on paper).
 */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/capacity');
const logFile = join(outDir, 'requests.jsonl');

const arg = (args: readonly string[], name: string, fallback: number) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  const v = a === undefined ? fallback : Number(a.slice(name.length + 3));
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} takes a whole number ≥ 0`);
  return v;
};

const fmt = (n: number, digits = 2) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (n: number) => (n >= 1 ? `$${fmt(n, 0)}` : `$${n.toPrecision(3)}`);

/** Time spent in one group's handlers, and what they handled. */
type Spent = { invocations: number; units: number; busyMs: number };
const spent: Record<string, Spent> = {};
const spend = (group: string, ms: number, units: number) => {
  spent[group] ??= { invocations: 0, units: 0, busyMs: 0 };
  const s = spent[group] as Spent;
  s.invocations++;
  s.units += units;
  s.busyMs += ms;
};

/**
 * The simulated hour's clock: this process's Date, moved forward. The scheduler takes its
 * tick's time from the event (a scheduled run's next run too, set by its claim), but a
 * manual run's end sets the next one from the clock (core/syncs/engine.ts), and the leases,
 * run times and `visible_at` read it too — every handler
 * runs in this process, so moving Date moves them all alike. `performance.now()` (the
 * timings) does not move.
 */
const installClock = () => {
  const Real = Date;
  let offset = 0;
  class Shifted extends Real {
    constructor(...a: unknown[]) {
      if (a.length === 0) super(Real.now() + offset);
      else super(...(a as [string | number]));
    }
    static override now() {
      return Real.now() + offset;
    }
  }
  globalThis.Date = Shifted as DateConstructor;
  return {
    /** Moves the clock to `at` (ms since the epoch); only ever forward. */
    to: (at: number) => {
      offset = Math.max(offset, at - Real.now());
    },
    restore: () => {
      globalThis.Date = Real;
    },
  };
};

const label = (name: string) => {
  process.env.CAPACITY_LABEL = name;
};

const toRecord = (m: Message, arn: string) =>
  ({
    messageId: m.MessageId as string,
    receiptHandle: m.ReceiptHandle as string,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        {
          dataType: v.DataType ?? 'String',
          stringValue: v.StringValue,
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'us-east-1',
  }) as SQSRecord;

/**
 * Runs a queue's worker until the queue is empty (nothing visible, in flight or delayed),
 * `lanes` invocations at a time, timing each; messages the worker reports failed are left
 * to reappear, as the event source does.
 */
const drain = async (sqs: SQSClient, queue: QueueName, group: string, lanes: number): Promise<number> => {
  let handled = 0;
  const w = queueWorkers.find((x) => x.trigger.queue === queue) as QueueWorker;
  const worker = await loadHandler<
    (e: SQSEvent, c: Context) => Promise<{ batchItemFailures?: { itemIdentifier: string }[] } | undefined>
  >(w.entry);
  const url = process.env[queues[queue].env] as string;
  const arn = `arn:aws:sqs:us-east-1:000000000000:${url.split('/').pop()}`;
  const pending = async () => {
    const a = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return Object.values(a.Attributes ?? {}).reduce((n, v) => n + Number(v), 0);
  };
  const lane = async () => {
    for (;;) {
      const r = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: w.trigger.batchSize,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      const messages = r.Messages ?? [];
      if (messages.length === 0) {
        if ((await pending()) === 0) return;
        continue;
      }
      const records = messages.map((m) => toRecord(m, arn));
      const t = performance.now();
      let failed = new Set<string>();
      try {
        const out = await worker(
          { Records: records },
          lambdaContext(functionNameOf(w.entry), w.timeoutSeconds * 1000),
        );
        failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (e) {
        failed = new Set(records.map((x) => x.messageId));
        console.error(`${group}: batch failed`, (e as Error).message);
      }
      spend(group, performance.now() - t, records.length);
      const done = records.filter((x) => !failed.has(x.messageId));
      handled += done.length;
      if (done.length)
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: url,
            Entries: done.map((x, i) => ({ Id: String(i), ReceiptHandle: x.receiptHandle })),
          }),
        );
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return handled;
};

/** Up to `lanes` of `fn` over `items` at a time. */
const pool = async <T>(items: readonly T[], lanes: number, fn: (x: T, i: number) => Promise<void>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(lanes, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
};

export const runCapacityBench = async (args: readonly string[]): Promise<void> => {
  const n = arg(args, 'connections', 1_000);
  const backfill = arg(args, 'backfill', 100_000);
  const burst = arg(args, 'burst', 2_000);
  const apiRequests = arg(args, 'api', 300);
  const lanes = Math.max(1, arg(args, 'lanes', 8));
  accountConcurrency = arg(args, 'account-concurrency', SCENARIO.accountConcurrency);
  const context = args.find((x) => x.startsWith('--context='))?.slice('--context='.length);
  for (const pair of context ? context.split(',') : []) {
    const [name, value] = pair.split('=');
    const known = workers.some((w) => w.concurrency.context === name);
    const v = Number(value);
    if (!known || !Number.isInteger(v) || v < 1)
      throw new Error(
        `--context takes <name>=<n>,… with names from functions/workers.ts (${workers.map((w) => w.concurrency.context).join(', ')})`,
      );
    contextOverrides.set(name as string, v);
  }
  if (contextOverrides.size || accountConcurrency !== SCENARIO.accountConcurrency)
    console.log(
      `judged against: ${[...contextOverrides].map(([k, v]) => `${k}=${v}`).join(', ') || 'the defaults'}; account concurrency ${accountConcurrency}`,
    );
  await mkdir(outDir, { recursive: true });
  rmSync(logFile, { force: true });
  // Before any SDK client exists: the meter is added when a client is created.
  process.env.CAPACITY_LOG = logFile;
  label('setup');
  const clock = installClock();
  const { logger } = await import('../../core/platform/log');
  logger.setLogLevel('WARN');
  const { startLocalRuntime } = await import('../../local/runtime');
  const { createTenant, createKey } = await import('../../core/tenants/tenants');
  const { createIntegration } = await import('../../core/integrations/integrations');
  const { createConnection } = await import('../../core/connections/create');
  const { listConnectionSyncs, updateConnectionSync, triggerSyncs } = await import('../../core/syncs/syncs');
  const { createSubscription } = await import('../../core/outbound/subscriptions');
  const { OUTBOUND_EVENTS } = await import('../../core/outbound/events');
  const { dynamo } = await import('../../core/platform/aws');
  const { tableName } = await import('../../core/platform/config');
  const { recordsPk } = await import('../../core/store/records-repo');
  const { itemBytes } = await import('../../core/platform/capacity-meter');
  const { QueryCommand } = await import('@aws-sdk/lib-dynamodb');

  console.log(
    `${n} connections × 3 hourly syncs, backfill ${backfill}, webhook burst ${burst}, ${apiRequests} API requests, ${lanes} lanes`,
  );
  const runtime = await startLocalRuntime({ port: 0, scheduler: false, workers: [] });
  const fake = await startGitHubFake();
  const bigFake = await startGitHubFake();
  const subscriber = await startWebhookReceiver(() => 200);
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  try {
    // Setup: a tenant, two GitHub integrations (the fleet, and the big org), N connections.
    const issueIds = fake.seedIssues(20);
    const prIds = fake.seedPullRequests(10);
    fake.seedCommits(20);
    if (backfill) bigFake.seedIssues(backfill, { repo: 'big-org/monorepo' });
    const tenant = await createTenant('capacity-bench');
    const { secret: apiKey } = await createKey(tenant.tenant_id);
    const hookSecret = `capacity-hook-${randomUUID()}`;
    await createIntegration(tenant.tenant_id, {
      unique_key: 'gh',
      provider: 'github',
      endpoints: { api_base_url: fake.apiBaseUrl },
    });
    await createIntegration(tenant.tenant_id, {
      unique_key: 'gh-big',
      provider: 'github',
      webhook_secret: hookSecret,
      endpoints: { api_base_url: bigFake.apiBaseUrl },
    });
    await createSubscription(tenant.tenant_id, { url: subscriber.url, events: [...OUTBOUND_EVENTS] });
    const conns: string[] = [];
    await pool(
      Array.from({ length: n }, (_, i) => i),
      lanes,
      async (i) => {
        const { connection } = await createConnection(tenant.tenant_id, {
          integration: 'gh',
          end_user_id: `u${i}`,
          credentials: fake.valid,
        });
        conns.push(connection.id);
        // The three hourly syncs of the issue; the daily repository listing stays out.
        await updateConnectionSync(tenant.tenant_id, connection.id, 'repositories', { paused: true });
      },
    );
    const { connection: big } = await createConnection(tenant.tenant_id, {
      integration: 'gh-big',
      end_user_id: 'big',
      credentials: bigFake.valid,
    });
    for (const s of (await listConnectionSyncs(tenant.tenant_id, big.id)).syncs)
      await updateConnectionSync(tenant.tenant_id, big.id, s.name, { paused: true });
    console.log(`[${since()}] ${n + 1} connections`);

    const scheduler = await loadHandler<(e: ScheduledEvent, c: Context) => Promise<{ shards: number }>>(
      schedulerWorker.entry,
    );
    // The tick as deployed: one message per shard, then the shard workers that queue the
    // runs. What they queued is what they log ('syncs due', one line a shard with due syncs):
    // the sync queue's messages count continuations too.
    let queued = 0;
    const info = logger.info.bind(logger);
    logger.info = ((message: string, ...extra: unknown[]) => {
      if (message === 'syncs due') queued += (extra[0] as { queued?: number } | undefined)?.queued ?? 0;
      return info(message, ...(extra as []));
    }) as typeof logger.info;
    const tick = async (at: number, group: string): Promise<number> => {
      const before = queued;
      clock.to(at);
      label('scheduler-tick');
      await scheduler(
        { time: new Date(at).toISOString() } as ScheduledEvent,
        lambdaContext(functionNameOf(schedulerWorker.entry), schedulerWorker.timeoutSeconds * 1000),
      );
      label(group);
      await drain(sqs, 'schedulerShard', group, lanes);
      return queued - before;
    };
    // Each sync's first run is due within its jitter (≤ 5 min): the initial runs, setup.
    const start = Date.now();
    const minute = 60_000;
    const first = await tick(start + 6 * minute, 'setup');
    await drain(sqs, 'sync', 'setup', lanes);
    await drain(sqs, 'outbound', 'setup', lanes);
    console.log(`[${since()}] initial runs: ${first}`);

    // The simulated hour: 5 changed records per sync, then a tick a minute with a moved
    // clock until every sync has run once more (next runs: +60 min + ≤ 5 min of jitter,
    // from when each initial run finished).
    for (const id of issueIds.slice(0, 5)) fake.updateIssue(id, { title: `changed ${id}` });
    for (const id of prIds.slice(0, 5)) fake.updatePullRequest(id, { title: `changed ${id}` });
    fake.seedCommits(5);
    const providerCallsBefore = fake.requests.length;
    let runs = 0;
    let ticks = 0;
    for (let m = 7; m <= 90 && runs < 3 * n; m++) {
      const r = await tick(start + m * minute, 'scheduler');
      ticks++;
      runs += r;
      label('sync-worker');
      if (r) await drain(sqs, 'sync', 'sync-worker', lanes);
    }
    const providerCalls = fake.requests.length - providerCallsBefore;
    console.log(
      `[${since()}] simulated hour: ${runs} runs (${n} × 3 expected), ${providerCalls} provider calls`,
    );

    label('outbound-worker');
    const deliveredBefore = subscriber.received.length;
    await drain(sqs, 'outbound', 'outbound-worker', lanes);
    console.log(`[${since()}] outbound: ${subscriber.received.length - deliveredBefore} deliveries`);

    // One connection's backfill.
    let backfillCalls = 0;
    if (backfill) {
      label('backfill');
      await updateConnectionSync(tenant.tenant_id, big.id, 'issues', { paused: false });
      const before = bigFake.requests.length;
      await triggerSyncs(tenant.tenant_id, { connection_id: big.id, syncs: ['issues'], mode: 'incremental' });
      await drain(sqs, 'sync', 'backfill', lanes);
      backfillCalls = bigFake.requests.length - before;
      label('outbound-worker');
      await drain(sqs, 'outbound', 'outbound-worker', lanes);
      console.log(`[${since()}] backfill of ${backfill}`);
    }

    // The webhook burst on the big org: signed `issues` events into the function URL.
    label('webhook-receiver');
    const owner = { id: Number(bigFake.account.id), login: bigFake.account.name };
    const hookUrl = `${runtime.url}/${webhookReceiver.trigger.basePath}/${tenant.tenant_id}/gh-big`;
    let accepted = 0;
    await pool(
      Array.from({ length: burst }, (_, i) => i),
      16,
      async (i) => {
        const body = githubIssueEvent(i, owner, `${owner.login}/monorepo`, {
          idBase: 800_000_000,
          name: 'capacity',
        });
        const t = performance.now();
        const res = await fetch(hookUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'issues',
            'x-github-delivery': randomUUID(),
            'x-github-hook-id': '1',
            'x-hub-signature-256': `sha256=${createHmac('sha256', hookSecret).update(body).digest('hex')}`,
          },
          body,
        });
        await res.arrayBuffer();
        spend('webhook-receiver', performance.now() - t, 1);
        if (res.status < 300) accepted++;
      },
    );
    label('webhook-processor');
    await drain(sqs, 'webhook', 'webhook-processor', lanes);
    await drain(sqs, 'sync', 'webhook-processor', lanes);
    label('outbound-worker');
    await drain(sqs, 'outbound', 'outbound-worker', lanes);
    const deliveries = subscriber.received.length - deliveredBefore;
    console.log(`[${since()}] webhooks: ${accepted}/${burst} accepted`);

    // API traffic from a small driver: reads a client makes on a connection.
    label('api');
    const api = [
      (c: string) => `/v1/connections/${c}`,
      (c: string) => `/v1/connections/${c}/syncs`,
      (c: string) => `/v1/records?connection_id=${c}&model=work_item&limit=50`,
      () => '/v1/connections?limit=20',
      (c: string) => `/v1/sync-runs?connection_id=${c}&limit=10`,
    ];
    const statuses: Record<string, number> = {};
    await pool(
      Array.from({ length: apiRequests }, (_, i) => i),
      8,
      async (i) => {
        const c = conns[i % conns.length] as string;
        const path = (api[i % api.length] as (c: string) => string)(c);
        const t = performance.now();
        const res = await fetch(`${runtime.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
        await res.arrayBuffer();
        spend('api', performance.now() - t, 1);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      },
    );
    console.log(`[${since()}] API: ${JSON.stringify(statuses)}`);
    label('done');

    // Stored record size, for the storage line.
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName('records'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': recordsPk(tenant.tenant_id, conns[0] as string, 'work_item') },
        Limit: 20,
      }),
    );
    const items = page.Items ?? [];
    const recordBytes = items.length ? items.reduce((s, i) => s + itemBytes(i), 0) / items.length : 1_000;

    report({
      n,
      ticks,
      backfill,
      burst: accepted,
      apiRequests,
      runs,
      deliveries,
      providerCalls,
      backfillCalls,
      recordBytes,
      lanes,
    });
  } finally {
    clock.restore();
    sqs.destroy();
    await subscriber.stop();
    await bigFake.stop();
    await fake.stop();
    await runtime.stop();
  }
};

type Run = {
  n: number;
  ticks: number;
  backfill: number;
  burst: number;
  apiRequests: number;
  runs: number;
  deliveries: number;
  providerCalls: number;
  backfillCalls: number;
  recordBytes: number;
  lanes: number;
};

/** Which labels make up each activity, and how many units of it the run made. */
const activityLabels: Record<Activity, readonly string[]> = {
  'scheduler tick': ['scheduler-tick'],
  'sync run': ['scheduler', 'sync-worker'],
  'webhook event': ['webhook-receiver', 'webhook-processor'],
  'API request': ['api'],
  'outbound delivery': ['outbound-worker'],
  'backfill record': ['backfill'],
};

const batchOf = (q: QueueName) =>
  (queueWorkers.find((w) => w.trigger.queue === q) as QueueWorker).trigger.batchSize;
const memoryOf = (entry: string) => (workers.find((w) => w.entry === entry)?.memoryMb ?? 512) / 1024;
const shardWorker = queueWorkers.find((w) => w.trigger.queue === 'schedulerShard') as QueueWorker;
/**
 * The concurrency settings judged: functions/workers.ts's defaults, or what `--context` gives,
 * as `cdk deploy -c syncWorkerConcurrency=600` would; `--account-concurrency`, the account's
 * Lambda quota that the API functions share with what the workers reserve.
 */
const contextOverrides = new Map<string, number>();
let accountConcurrency: number = SCENARIO.accountConcurrency;
const reservationOf = (w: (typeof workers)[number]) =>
  contextOverrides.get(w.concurrency.context) ?? w.concurrency.default;
const limitOf = (entry: string) => {
  const w = workers.find((x) => x.entry === entry);
  return w ? reservationOf(w) : 0;
};

const report = (run: Run) => {
  const lines = readFileSync(logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MeteredRequest);
  // A tick's own requests (the shard queries, the dead-letter receive) are a minute's, not a
  // run's: at the scenario one tick serves 50,000 runs, here a handful.
  const perTick = (l: MeteredRequest) =>
    l.label === 'scheduler' && (l.op === 'QueryCommand' || (l.service === 'sqs' && !l.op.startsWith('Send')));
  const byLabel = new Map<string, MeteredRequest[]>();
  for (const l of lines) {
    const key = perTick(l) ? 'scheduler-tick' : l.label;
    byLabel.set(key, [...(byLabel.get(key) ?? []), l]);
  }
  const count: Record<Activity, number> = {
    'scheduler tick': run.ticks,
    'sync run': run.runs,
    'webhook event': run.burst,
    'API request': run.apiRequests,
    'outbound delivery': run.deliveries,
    'backfill record': run.backfill,
  };
  const reported = lines.reduce(
    (s, l) => ({ read: s.read + (l.reported?.read ?? 0), write: s.write + (l.reported?.write ?? 0) }),
    { read: 0, write: 0 },
  );
  console.log(
    `\n${lines.length} requests metered; DynamoDB Local's own ConsumedCapacity summed: ${reported.write} WRU, ${reported.read} RRU — units below are computed from item sizes and index membership`,
  );

  // Function groups: time per unit, here and on paper for AWS.
  const reqs = (label: string) => byLabel.get(label)?.length ?? 0;
  const sumSpent = (g: string) => spent[g] ?? { invocations: 0, units: 0, busyMs: 0 };
  const reserved = workers.reduce((s, w) => s + reservationOf(w), 0);
  const groups: (GroupTiming & { rate: number })[] = [
    {
      // The shard workers: per queued sync (their shard Queries are the 'scheduler tick' row).
      group: 'scheduler',
      parallel: LANES,
      activity: 'sync run',
      ...sumSpent('scheduler'),
      units: run.runs,
      awsRequests: reqs('scheduler'),
      providerCalls: 0,
      memoryMb: memoryOf(shardWorker.entry) * 1024,
      limit: limitOf(shardWorker.entry),
      rate: SCENARIO.rates['sync run'].global,
    },
    {
      group: 'sync-worker',
      parallel: 1,
      activity: 'sync run',
      ...sumSpent('sync-worker'),
      units: run.runs,
      awsRequests: reqs('sync-worker'),
      providerCalls: run.providerCalls,
      memoryMb: memoryOf('functions/workers/sync-worker.ts') * 1024,
      limit: limitOf('functions/workers/sync-worker.ts'),
      rate: SCENARIO.rates['sync run'].global,
    },
    {
      group: 'webhook-receiver',
      parallel: 1,
      activity: 'webhook event',
      ...sumSpent('webhook-receiver'),
      awsRequests: reqs('webhook-receiver'),
      providerCalls: 0,
      memoryMb: memoryOf(webhookReceiver.entry) * 1024,
      limit: limitOf(webhookReceiver.entry),
      rate: SCENARIO.rates['webhook event'].global,
    },
    {
      group: 'webhook-processor',
      parallel: batchOf('webhook'),
      activity: 'webhook event',
      ...sumSpent('webhook-processor'),
      units: run.burst,
      awsRequests: reqs('webhook-processor'),
      providerCalls: 0,
      memoryMb: memoryOf('functions/workers/webhook-processor.ts') * 1024,
      limit: limitOf('functions/workers/webhook-processor.ts'),
      rate: SCENARIO.rates['webhook event'].global,
    },
    {
      group: 'outbound-worker',
      parallel: batchOf('outbound'),
      activity: 'outbound delivery',
      ...sumSpent('outbound-worker'),
      awsRequests: reqs('outbound-worker'),
      // Each delivery is one call to the subscriber's endpoint.
      providerCalls: sumSpent('outbound-worker').units,
      memoryMb: memoryOf('functions/workers/outbound-worker.ts') * 1024,
      limit: limitOf('functions/workers/outbound-worker.ts'),
      rate: SCENARIO.rates['outbound delivery'].global,
    },
    {
      group: 'api (all routes)',
      parallel: 1,
      activity: 'API request',
      ...sumSpent('api'),
      awsRequests: reqs('api'),
      providerCalls: 0,
      memoryMb: 512,
      limit: accountConcurrency - reserved,
      rate: SCENARIO.rates['API request'].global,
    },
  ];

  // Per activity: units and dollars per unit.
  const perActivity: Partial<Record<Activity, PerActivityCost>> = {};
  const activityRows = [];
  for (const a of ACTIVITIES) {
    const units = count[a];
    if (!units) continue;
    const t: Totals = zeroTotals();
    for (const l of activityLabels[a]) for (const r of byLabel.get(l) ?? []) addRequest(t, r);
    const gs = groups.filter((g) => g.activity === a);
    // The scheduler's ticks are a minute's, whatever the rate: not per run.
    let invocations = gs.filter((g) => g.group !== 'scheduler').reduce((s, g) => s + g.invocations, 0);
    // The Lambda SQS event source's receive and delete per batch of a queue worker.
    let eventSourceSqs = gs
      .filter((g) => g.group !== 'webhook-receiver' && !g.group.startsWith('api') && g.group !== 'scheduler')
      .reduce((s, g) => s + 2 * g.invocations, 0);
    // A tick: the timer's invocation, and one shard worker's per shard (its message received and deleted).
    if (a === 'scheduler tick') {
      invocations = units * (1 + SCHEDULE_SHARDS);
      eventSourceSqs = units * 2 * SCHEDULE_SHARDS;
    }
    let gbSeconds = gs.reduce(
      (s, g) => s + (groupDurations(g).awsMs / 1000) * (g.memoryMb / 1024) * units,
      0,
    );
    if (a === 'backfill record') {
      const b = sumSpent('backfill');
      invocations = b.invocations;
      eventSourceSqs = 2 * b.invocations;
      const awsMs =
        (reqs('backfill') * SCENARIO.awsRequestMs + run.backfillCalls * SCENARIO.providerCallMs) / units;
      gbSeconds = (awsMs / 1000) * 1 * units;
    }
    const c: PerActivityCost = {
      wru: t.wru / units,
      rru: t.rru / units,
      ddbRequests: t.ddbRequests / units,
      sqsRequests: (t.sqsRequests + eventSourceSqs) / units,
      smCalls: t.smCalls / units,
      lambdaInvocations: invocations / units,
      lambdaGbSeconds: gbSeconds / units,
      apiRequests: a === 'API request' ? 1 : 0,
    };
    perActivity[a] = c;
    const dollars = Object.values(costOf(c)).reduce((s, x) => s + x, 0);
    activityRows.push({
      activity: a,
      'units in run': units,
      'WRU / unit': fmt(c.wru),
      'RRU / unit': fmt(c.rru),
      'DynamoDB req / unit': fmt(c.ddbRequests),
      'SQS req / unit': fmt(c.sqsRequests),
      'Secrets Mgr calls / unit': fmt(c.smCalls, 3),
      'Lambda inv / unit': fmt(c.lambdaInvocations, 3),
      '$ / million units': fmt(dollars * 1e6),
    });
  }
  console.log('\nPer unit of each activity (DynamoDB units computed from item sizes; SQS per 64 KB chunk)');
  console.table(activityRows);

  // Key patterns: the hottest partition at the scenario, from each activity, summed.
  // Beside it, the hottest item (sort key) of each pattern — each item's rates summed over the
  // activities that touch it: the bound for the patterns DynamoDB splits for heat
  // (SPLITS_FOR_HEAT), which are judged by it; every other pattern by its key.
  const hot = new Map<
    string,
    {
      scope: string;
      write: number;
      read: number;
      items: Map<string, { write: number; read: number }>;
      from: string[];
    }
  >();
  for (const a of ACTIVITIES) {
    if (!count[a]) continue;
    const reqsOf = activityLabels[a].flatMap((l) => byLabel.get(l) ?? []);
    for (const load of patternLoads(reqsOf).values()) {
      const r = hotPartitionRate(load, a, count[a]);
      if (r.write === 0 && r.read === 0) continue;
      const h = hot.get(load.pattern) ?? {
        scope: load.scope,
        write: 0,
        read: 0,
        items: new Map(),
        from: [] as string[],
      };
      h.write += r.write;
      h.read += r.read;
      for (const [key, x] of placeRates(load, a, count[a], 'item')) {
        const item = h.items.get(key) ?? { write: 0, read: 0 };
        item.write += x.write;
        item.read += x.read;
        h.items.set(key, item);
      }
      h.from.push(`${a} ${fmt(r.write, 0)}w/${fmt(r.read, 0)}r`);
      hot.set(load.pattern, h);
    }
  }
  const patternRows = [...hot.entries()]
    .map(([pattern, h]) => {
      const keyShare = partitionShare(h);
      let hottestItem = '';
      let itemShare = 0;
      for (const [key, x] of h.items) {
        const share = partitionShare(x);
        if (share > itemShare) [hottestItem, itemShare] = [key.split('|').at(-1) ?? '', share];
      }
      const splits = SPLITS_FOR_HEAT.has(pattern);
      return {
        pattern,
        scope: h.scope,
        write: h.write,
        read: h.read,
        from: h.from,
        keyShare,
        itemShare,
        hottestItem,
        splits,
        share: splits ? itemShare : keyShare,
      };
    })
    .sort((x, y) => y.share - x.share);
  console.log(
    `\nHottest partition of each key pattern at the scenario (WCU/s, RCU/s; limit ${SCENARIO.partitionWriteUnits} / ${SCENARIO.partitionReadUnits} per partition; target ≤ ${SCENARIO.partitionTarget})`,
  );
  console.table(
    patternRows.map((p) => ({
      'key pattern': p.pattern,
      scope: p.scope,
      'WCU/s': fmt(p.write, 1),
      'RCU/s': fmt(p.read, 1),
      'key share': fmt(p.keyShare),
      'hottest item share': fmt(p.itemShare),
      'hottest item': p.hottestItem.replace(/[0-9a-z]{26}/g, '<id>'),
      'judged by': p.splits ? 'item (splits for heat)' : 'key',
      target: p.share <= SCENARIO.partitionTarget ? 'ok' : 'MISS',
      from: p.from.join('; '),
    })),
  );

  // Function groups.
  const groupRows = groups.map((g) => {
    const d = groupDurations(g);
    const local = concurrencyAt(g.rate, d.localMs);
    const aws = concurrencyAt(g.rate, d.awsMs);
    return {
      group: g.group,
      'rate/s': fmt(g.rate, 0),
      'local ms/unit': fmt(d.localMs),
      'AWS ms/unit (paper)': fmt(d.awsMs),
      'concurrency (local)': fmt(local, 0),
      'concurrency (AWS paper)': fmt(aws, 1),
      limit: g.limit,
      target: aws <= g.limit ? 'ok' : 'MISS',
    };
  });
  console.log(
    `\nLambda concurrency per function group at the scenario's peak = rate × time per unit (AWS paper: ${SCENARIO.awsRequestMs} ms per AWS request, ${SCENARIO.providerCallMs} ms per provider call, one after another)`,
  );
  console.table(groupRows);

  // The month.
  const month = monthlyCost(perActivity, { recordBytes: run.recordBytes });
  const total = Object.values(month.byService).reduce((s, x) => s + x, 0);
  const perConn = total / SCENARIO.connections;
  const syncs = (month.byActivity['sync run'] ?? 0) / SCENARIO.connections;
  console.log(
    `\nMonthly cost at the scenario (syncs flat, other traffic at ${SCENARIO.averageOfPeak} of its peak; prices: capacity-model.ts PRICES)`,
  );
  console.table(
    Object.entries(month.byService).map(([service, v]) => ({
      service,
      'per month': usd(v),
      share: `${fmt((v / total) * 100, 0)} %`,
      'per connection-month': usd(v / SCENARIO.connections),
    })),
  );
  console.table(
    Object.entries(month.byActivity).map(([activity, v]) => ({
      activity,
      'per month': usd(v ?? 0),
      'per connection-month': usd((v ?? 0) / SCENARIO.connections),
    })),
  );
  const backfillPer100k =
    (perActivity['backfill record']
      ? Object.values(costOf(perActivity['backfill record'])).reduce((s, x) => s + x, 0)
      : 0) * 100_000;
  console.log(
    `fixed: DynamoDB storage ${usd(month.fixed['DynamoDB storage'] ?? 0)} (${fmt(run.recordBytes, 0)} B a record × ${SCENARIO.recordsPerConnection} a connection, ×2 with the feed index), secrets ${usd(month.fixed['Secrets Manager secrets'] ?? 0)}; a backfill costs ${usd(backfillPer100k)} per 100,000 records (one-off, not in the month)`,
  );
  const misses = [
    ...patternRows.filter((p) => p.share > SCENARIO.partitionTarget).map((p) => `partition ${p.pattern}`),
    ...groupRows.filter((g) => g.target === 'MISS').map((g) => `concurrency ${g.group}`),
    ...(syncs > SCENARIO.costTargets.syncsPerConnectionMonth ? ['sync cost'] : []),
    ...(perConn > SCENARIO.costTargets.allInPerConnectionMonth ? ['all-in cost'] : []),
  ];
  console.log(
    `total ${usd(total)} a month: ${usd(perConn)} per connection-month (target ≤ $${SCENARIO.costTargets.allInPerConnectionMonth}), syncs ${usd(syncs)} (target ≤ $${SCENARIO.costTargets.syncsPerConnectionMonth})`,
  );
  console.log(`targets → ${misses.length ? `MISS: ${misses.join('; ')}` : 'all met'}`);
  void writeFile(
    join(repoRoot, '.bench/capacity.json'),
    `${JSON.stringify(
      {
        at: new Date().toISOString(),
        run,
        prices: PRICES,
        scenario: SCENARIO,
        perActivity,
        patterns: patternRows,
        groups: groupRows,
        month: { ...month, total, perConnection: perConn, syncsPerConnection: syncs, secondsPerMonth },
        misses,
      },
      null,
      2,
    )}\n`,
  );
};
