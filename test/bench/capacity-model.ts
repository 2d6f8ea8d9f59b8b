import type { MeteredRequest, PartitionUnits } from '../../core/platform/capacity-meter';

/**
 * The capacity model of `npm run bench -- capacity` (docs/scale.md "The capacity model"), the
 * pure part: key patterns, per-activity costs from metered requests, extrapolation to the
 * design scenario, prices. No I/O here, so test/unit/capacity-model.test.ts checks the
 * arithmetic.
 */

/**
 * Published on-demand list prices, us-east-1, Lambda on arm64, as on the AWS pricing pages
 * on 2025-06-01 (not re-checked since: update the figures here, the bench prints from them).
 * https://aws.amazon.com/dynamodb/pricing/on-demand/  https://aws.amazon.com/sqs/pricing/
 * https://aws.amazon.com/lambda/pricing/  https://aws.amazon.com/secrets-manager/pricing/
 * https://aws.amazon.com/api-gateway/pricing/  https://aws.amazon.com/s3/pricing/
 * https://aws.amazon.com/cloudwatch/pricing/
 */
export const PRICES = {
  dynamodb: {
    perMillionWriteUnits: 0.625,
    perMillionReadUnits: 0.125,
    storagePerGbMonth: 0.25,
  },
  /** Standard queues past the free million; every 64 KB chunk of a payload is one request. */
  sqs: { perMillionRequests: 0.4, chunkBytes: 64 * 1024 },
  lambda: { perGbSecondArm: 0.0000133334, perMillionRequests: 0.2 },
  secretsManager: { perSecretMonth: 0.4, per10kCalls: 0.05 },
  /** HTTP API, first 300 million a month. */
  apiGatewayHttp: { perMillionRequests: 1.0 },
  s3: { storagePerGbMonth: 0.023, perThousandPuts: 0.005, perThousandGets: 0.0004 },
  cloudwatchLogs: { ingestPerGb: 0.5 },
} as const;

export type Service =
  | 'DynamoDB'
  | 'SQS'
  | 'Lambda'
  | 'Secrets Manager'
  | 'API Gateway'
  | 'S3'
  | 'CloudWatch Logs';

/** What one unit of an activity is. */
export type Activity =
  | 'scheduler tick'
  | 'sync run'
  | 'webhook event'
  | 'API request'
  | 'outbound delivery'
  | 'backfill record';
export const ACTIVITIES: readonly Activity[] = [
  'scheduler tick',
  'sync run',
  'webhook event',
  'API request',
  'outbound delivery',
  'backfill record',
];

/** Who a partition's traffic comes from: the scenario gives a rate for each. */
export type Scope = 'global' | 'tenant' | 'connection' | 'subscription' | 'shard' | 'item';

const SECONDS_PER_MONTH = 730 * 3600;

/**
 * The design scenario (DESIGN.md, the issue "Internet scale on AWS"): peak rates per second,
 * by scope. Rates not given by the scenario are marked ASSUMED and argued in docs/scale.md.
 */
export const SCENARIO = {
  connections: 1_000_000,
  tenants: 10_000,
  largestTenantConnections: 200_000,
  /** Hourly syncs per connection. */
  syncsPerConnection: 3,
  /** Shards of the scheduler's indexes (core/store/schedule-repo.ts SCHEDULE_SHARDS, syncs-repo.ts RUN_SHARDS). */
  scheduleShards: 256,
  runShards: 16,
  /** Peak per second, by scope. `tenant` is the largest tenant's, `connection` the busiest one's. */
  rates: {
    // A tick a minute: its shard queries and dead-letter receive, whatever is due.
    'scheduler tick': { global: 1 / 60, tenant: 0, connection: 0, subscription: 0 },
    'sync run': {
      global: (1_000_000 * 3) / 3600,
      tenant: (200_000 * 3) / 3600,
      connection: 3 / 3600,
      subscription: (200_000 * 3) / 3600,
    },
    'webhook event': { global: 20_000, tenant: 2_000, connection: 2_000, subscription: 2_000 },
    // ASSUMED: API traffic in proportion to connections (the largest tenant, 20 % of them, makes
    // 1,500/s), a tenth of a tenant's requests on its busiest connection.
    'API request': { global: 7_500, tenant: 1_500, connection: 150, subscription: 0 },
    // ASSUMED: the largest tenant's 20 % of deliveries, all to one subscription.
    'outbound delivery': { global: 10_000, tenant: 2_000, connection: 2_000, subscription: 2_000 },
    // ASSUMED: one connection's backfill at the sync bench's target, 2,000 records/s. Backfills
    // are one-off: not in the monthly cost (their cost per record is printed).
    'backfill record': { global: 0, tenant: 2_000, connection: 2_000, subscription: 0 },
  } satisfies Record<Activity, Record<'global' | 'tenant' | 'connection' | 'subscription', number>>,
  /** ASSUMED: the month's average of webhook, API and outbound traffic is this share of its peak (syncs run flat). */
  averageOfPeak: 0.25,
  /** ASSUMED, for storage: records kept per connection, and integrations (each one secret) per tenant. */
  recordsPerConnection: 1_000,
  integrationsPerTenant: 2,
  /** ASSUMED: CloudWatch Logs bytes per invocation (our lines at INFO + Lambda's START/END/REPORT). */
  logBytesPerInvocation: 1_500,
  /** Paper latencies for the AWS duration estimate: one in-region AWS request, one provider call. */
  awsRequestMs: 6,
  providerCallMs: 150,
  /** The account's concurrency quota (the default; raised on request) the unreserved API functions share. */
  accountConcurrency: 1_000,
  /** DynamoDB's per-partition limits, and the share of them a key pattern may use at the scenario. */
  partitionWriteUnits: 1_000,
  partitionReadUnits: 3_000,
  partitionTarget: 0.5,
  costTargets: { syncsPerConnectionMonth: 0.03, allInPerConnectionMonth: 0.15 },
} as const;

export const secondsPerMonth = SECONDS_PER_MONTH;

/**
 * The key pattern of a partition key (core/store/README.md), with its scope: whose traffic
 * lands on one partition of it. Identifiers become `<t>`, `<c>`, … so one pattern names
 * every partition of its kind.
 */
export const keyPattern = (
  table: string,
  index: string | undefined,
  pk: string,
): { pattern: string; scope: Scope } => {
  const where = index ? `${table}.${index}` : table;
  const p = (pattern: string, scope: Scope) => ({ pattern: `${where} ${pattern}`, scope });
  // `schedule` and its narrow successor `schedule_v2` (core/store/schedule-repo.ts), and `active`.
  if (table === 'state' && (index?.startsWith('schedule') || index === 'active'))
    return p('<shard>', 'shard');
  if (pk.startsWith('KEYHASH#')) return p('KEYHASH#<hash>', 'tenant');
  if (pk.startsWith('KEY#')) return p('KEY#<key>', 'item');
  if (pk.startsWith('WH#')) return p('WH#<t>#<integration>#<delivery>', 'item');
  if (pk.startsWith('CONNECT#')) return p('CONNECT#<session>', 'item');
  if (pk.startsWith('STATE#')) return p('STATE#<hash>', 'item');
  if (pk.startsWith('tools#') || pk.startsWith('proxy#')) return p(`${pk.split('#')[0]}#<hash>`, 'item');
  const m = /^TENANT#[^#]+(#.*)?$/.exec(pk);
  if (!m) return p(pk.replace(/[0-9a-z]{20,}/gi, '<id>'), 'item');
  const rest = m[1] ?? '';
  if (rest === '') return p('TENANT#<t>', 'tenant');
  if (/^#CONN#[^#]+#MODEL#/.test(rest)) return p('TENANT#<t>#CONN#<c>#MODEL#<m>', 'connection');
  if (/^#CONN#[^#]+$/.test(rest)) return p('TENANT#<t>#CONN#<c>', 'connection');
  if (rest.startsWith('#ROUTE#')) return p('TENANT#<t>#ROUTE#<integration>#<routing key>', 'connection');
  if (rest.startsWith('#WHS#')) return p('TENANT#<t>#WHS#<subscription>', 'subscription');
  if (rest.startsWith('#RATE#')) return p('TENANT#<t>#RATE#<bucket>#<window>', 'tenant');
  if (rest.startsWith('#LEASE#sync:') || rest.startsWith('#LEASE#token:'))
    return p(`TENANT#<t>#LEASE#${rest.slice(7).split(':')[0]}:<c>…`, 'connection');
  if (rest.startsWith('#LEASE#')) return p('TENANT#<t>#LEASE#<name>', 'item');
  if (rest.startsWith('#WHEVT#')) return p('TENANT#<t>#WHEVT#<integration>', 'tenant');
  if (rest.startsWith('#EU#') || rest.startsWith('#WS#') || rest.startsWith('#TOOL#'))
    return p(`TENANT#<t>#${rest.split('#')[1]}#<id>`, 'tenant');
  if (rest.startsWith('#IMPORTS#')) return p('TENANT#<t>#IMPORTS#EU#<end user>', 'item');
  return p(`TENANT#<t>${rest.replace(/#[^#]*[0-9][^#]*/g, '#<id>')}`, 'item');
};

/** The entity whose rate a partition's traffic follows: one tenant, connection, subscription, shard or item. */
export const scopeEntity = (scope: Scope, pk: string): string => {
  if (scope === 'global') return 'all';
  if (scope === 'tenant') return /TENANT#([^#]+)/.exec(pk)?.[1] ?? pk;
  if (scope === 'connection') return /CONN#([^#]+)/.exec(pk)?.[1] ?? /LEASE#\w+:([^#:]+)/.exec(pk)?.[1] ?? pk;
  if (scope === 'subscription') return /WHS#([^#]+)/.exec(pk)?.[1] ?? pk;
  return pk;
};

/** An item's or a queue message's SQS billing: one request per 64 KB chunk, at least one. */
export const sqsBilledRequests = (r: MeteredRequest): number => {
  if (r.bytes === undefined) return 1;
  return Math.max(1, Math.ceil(r.bytes / PRICES.sqs.chunkBytes));
};

export type Totals = {
  wru: number;
  rru: number;
  ddbRequests: number;
  sqsRequests: number;
  smCalls: number;
};

export const zeroTotals = (): Totals => ({ wru: 0, rru: 0, ddbRequests: 0, sqsRequests: 0, smCalls: 0 });

export const addRequest = (t: Totals, r: MeteredRequest): void => {
  if (r.service === 'dynamodb') {
    t.ddbRequests++;
    for (const u of r.units ?? []) {
      t.wru += u.write;
      t.rru += u.read;
    }
  } else if (r.service === 'sqs') t.sqsRequests += sqsBilledRequests(r);
  else t.smCalls++;
};

/** Units per partition of each key pattern in one activity's requests. */
export type PatternLoad = {
  pattern: string;
  scope: Scope;
  write: number;
  read: number;
  /** Distinct partitions and scope entities the activity touched. */
  partitions: Map<string, { write: number; read: number; entity: string }>;
  /** The same units by item within a partition (its sort key; a Query's range counts as one). */
  items: Map<string, { write: number; read: number; entity: string }>;
};

/**
 * Patterns DynamoDB can split for heat: one partition key whose load spreads over many sort
 * keys that do not only grow — a partition is split by sort-key range down to its hot items,
 * so the bound that holds is the hottest item's (or range's), not the key's.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html
 * - records: `REC#<provider id>`, a connection's records, written in no order of time;
 * - state `TENANT#<t>`: a tenant's connections, syncs, integrations, keys — each run or
 *   request touches its own few items.
 * Not these: sort keys that only grow (the feed cursor, `RUN#<ulid>` runs, `DLV#` deliveries:
 * every write lands at the end of the range, which a split cannot spread), schedule and
 * `active` shards (judged as shards), and single items.
 */
export const SPLITS_FOR_HEAT: ReadonlySet<string> = new Set([
  'records TENANT#<t>#CONN#<c>#MODEL#<m>',
  'state TENANT#<t>',
]);

export const patternLoads = (requests: readonly MeteredRequest[]): Map<string, PatternLoad> => {
  const out = new Map<string, PatternLoad>();
  const add = (u: PartitionUnits) => {
    const { pattern, scope } = keyPattern(u.table, u.index, u.pk);
    let l = out.get(pattern);
    if (!l) {
      l = { pattern, scope, write: 0, read: 0, partitions: new Map(), items: new Map() };
      out.set(pattern, l);
    }
    l.write += u.write;
    l.read += u.read;
    const key = `${u.index ?? ''}|${u.pk}`;
    const part = l.partitions.get(key) ?? { write: 0, read: 0, entity: scopeEntity(scope, u.pk) };
    part.write += u.write;
    part.read += u.read;
    l.partitions.set(key, part);
    const itemKey = `${key}|${u.sk ?? ''}`;
    const item = l.items.get(itemKey) ?? { write: 0, read: 0, entity: part.entity };
    item.write += u.write;
    item.read += u.read;
    l.items.set(itemKey, item);
  };
  for (const r of requests) for (const u of r.units ?? []) add(u);
  return out;
};

/**
 * Each partition's (or item's) rate at the scenario, from one activity: its units per
 * activity (its units ÷ the activities per scope entity in the run) × the scenario's rate
 * for one entity of that scope. A shard's rate is the global rate over the shards; an item
 * pattern's, one activity a second (a key used once per event).
 */
export const placeRates = (
  load: PatternLoad,
  activity: Activity,
  activityCount: number,
  within: 'partition' | 'item' = 'partition',
): Map<string, { write: number; read: number }> => {
  const out = new Map<string, { write: number; read: number }>();
  if (activityCount === 0 || load.partitions.size === 0) return out;
  const entities = new Set([...load.partitions.values()].map((p) => p.entity)).size;
  const perEntity = activityCount / entities;
  const rates = SCENARIO.rates[activity];
  const rate =
    load.scope === 'shard'
      ? rates.global / (load.pattern.includes('.active ') ? SCENARIO.runShards : SCENARIO.scheduleShards)
      : load.scope === 'item'
        ? 1
        : load.scope === 'global'
          ? rates.global
          : rates[load.scope];
  // An item: the same scaling, over the units each item took (one scope entity's activities
  // still share it). A shard pattern is always judged as a whole shard.
  const places = within === 'item' && load.scope !== 'shard' ? load.items : load.partitions;
  for (const [key, p] of places) {
    // For a shard: the even spread the hash gives at a million syncs, not a small run's noise.
    const w = load.scope === 'shard' ? load.write / load.partitions.size : p.write;
    const r = load.scope === 'shard' ? load.read / load.partitions.size : p.read;
    const k = load.scope === 'item' ? 1 : perEntity;
    out.set(key, { write: (w / k) * rate, read: (r / k) * rate });
  }
  return out;
};

/** The hottest partition (or item) of a pattern at the scenario, from one activity: the largest of placeRates. */
export const hotPartitionRate = (
  load: PatternLoad,
  activity: Activity,
  activityCount: number,
  within: 'partition' | 'item' = 'partition',
): { write: number; read: number } => {
  let write = 0;
  let read = 0;
  for (const r of placeRates(load, activity, activityCount, within).values()) {
    write = Math.max(write, r.write);
    read = Math.max(read, r.read);
  }
  // Shard or item: each partition carries its own share; otherwise one entity's activities.
  return { write, read };
};

/** Share of a partition's limit: the larger of writes/1,000 WCU and reads/3,000 RCU per second. */
export const partitionShare = (rate: { write: number; read: number }): number =>
  Math.max(rate.write / SCENARIO.partitionWriteUnits, rate.read / SCENARIO.partitionReadUnits);

/** A function group's measured time and the activity it serves. */
export type GroupTiming = {
  group: string;
  activity: Activity;
  /** Invocations and messages (or requests) they handled; ms the handlers ran. */
  invocations: number;
  units: number;
  busyMs: number;
  /** AWS requests the group sent, and provider calls it made, in those invocations. */
  awsRequests: number;
  providerCalls: number;
  memoryMb: number;
  limit: number;
  /**
   * Units one invocation handles at once: the scheduler's lanes, a queue worker's batch (its
   * messages run side by side, Powertools' BatchProcessor); the paper duration divides by it.
   */
  parallel: number;
};

/**
 * Per-unit durations: measured here (wall time ÷ units, so already for the lanes the bench ran),
 * and on paper for AWS: requests and provider calls one after another, ÷ units run at once.
 */
export const groupDurations = (g: GroupTiming): { localMs: number; awsMs: number } => {
  if (g.units === 0) return { localMs: 0, awsMs: 0 };
  return {
    localMs: g.busyMs / g.units,
    awsMs:
      (g.awsRequests * SCENARIO.awsRequestMs + g.providerCalls * SCENARIO.providerCallMs) /
      g.units /
      g.parallel,
  };
};

/** Concurrency at the scenario's peak: rate × seconds per unit (Little's law). */
export const concurrencyAt = (ratePerSecond: number, msPerUnit: number): number =>
  (ratePerSecond * msPerUnit) / 1000;

export type PerActivityCost = Totals & {
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  apiRequests: number;
};

/** Dollars one unit of an activity costs, by service. */
export const costOf = (c: PerActivityCost): Record<Service, number> => ({
  DynamoDB:
    (c.wru * PRICES.dynamodb.perMillionWriteUnits + c.rru * PRICES.dynamodb.perMillionReadUnits) / 1e6,
  SQS: (c.sqsRequests * PRICES.sqs.perMillionRequests) / 1e6,
  Lambda:
    c.lambdaGbSeconds * PRICES.lambda.perGbSecondArm +
    (c.lambdaInvocations * PRICES.lambda.perMillionRequests) / 1e6,
  'Secrets Manager': (c.smCalls * PRICES.secretsManager.per10kCalls) / 1e4,
  'API Gateway': (c.apiRequests * PRICES.apiGatewayHttp.perMillionRequests) / 1e6,
  S3: 0,
  'CloudWatch Logs':
    (c.lambdaInvocations * SCENARIO.logBytesPerInvocation * PRICES.cloudwatchLogs.ingestPerGb) / 1e9,
});

/** The month's average rate of an activity: syncs run flat, the rest at a share of their peak. */
export const monthlyRate = (activity: Activity): number =>
  activity === 'sync run' || activity === 'scheduler tick'
    ? SCENARIO.rates[activity].global
    : SCENARIO.rates[activity].global * SCENARIO.averageOfPeak;

/** Monthly dollars by service: activities at their average rate, plus storage and secrets. */
export const monthlyCost = (
  perActivity: Partial<Record<Activity, PerActivityCost>>,
  storage: { recordBytes: number },
): {
  byService: Record<Service, number>;
  byActivity: Partial<Record<Activity, number>>;
  fixed: Record<string, number>;
} => {
  const byService: Record<Service, number> = {
    DynamoDB: 0,
    SQS: 0,
    Lambda: 0,
    'Secrets Manager': 0,
    'API Gateway': 0,
    S3: 0,
    'CloudWatch Logs': 0,
  };
  const byActivity: Partial<Record<Activity, number>> = {};
  for (const a of ACTIVITIES) {
    const c = perActivity[a];
    if (!c) continue;
    const units = monthlyRate(a) * SECONDS_PER_MONTH;
    let sum = 0;
    for (const [s, usd] of Object.entries(costOf(c)) as [Service, number][]) {
      byService[s] += usd * units;
      sum += usd * units;
    }
    byActivity[a] = sum;
  }
  // Records stored twice: the table and the feed index (projection ALL).
  const storageGb = (SCENARIO.connections * SCENARIO.recordsPerConnection * storage.recordBytes * 2) / 1e9;
  const fixed = {
    'DynamoDB storage': storageGb * PRICES.dynamodb.storagePerGbMonth,
    'Secrets Manager secrets':
      SCENARIO.tenants * SCENARIO.integrationsPerTenant * PRICES.secretsManager.perSecretMonth,
  };
  byService.DynamoDB += fixed['DynamoDB storage'];
  byService['Secrets Manager'] += fixed['Secrets Manager secrets'];
  return { byService, byActivity, fixed };
};
