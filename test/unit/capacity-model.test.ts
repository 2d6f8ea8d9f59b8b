import { describe, expect, it } from 'vitest';
import { itemWriteUnits, queryRange, readUnits } from '../../core/platform/capacity-meter';
import { tables } from '../../core/platform/resources';
import {
  concurrencyAt,
  costOf,
  groupDurations,
  hotPartitionRate,
  keyPattern,
  monthlyCost,
  type PatternLoad,
  PRICES,
  partitionShare,
  patternLoads,
  placeRates,
  SCENARIO,
  SPLITS_FOR_HEAT,
  secondsPerMonth,
  sqsBilledRequests,
} from '../bench/capacity-model';

describe('key patterns (core/store/README.md)', () => {
  it('names each layout with its scope', () => {
    expect(keyPattern('state', undefined, 'TENANT#ten_1')).toEqual({
      pattern: 'state TENANT#<t>',
      scope: 'tenant',
    });
    expect(keyPattern('records', undefined, 'TENANT#ten_1#CONN#conn_2#MODEL#work_item')).toEqual({
      pattern: 'records TENANT#<t>#CONN#<c>#MODEL#<m>',
      scope: 'connection',
    });
    expect(keyPattern('records', 'feed', 'TENANT#ten_1#CONN#conn_2#MODEL#work_item').pattern).toBe(
      'records.feed TENANT#<t>#CONN#<c>#MODEL#<m>',
    );
    expect(keyPattern('state', 'schedule', '7')).toEqual({
      pattern: 'state.schedule <shard>',
      scope: 'shard',
    });
    expect(keyPattern('state', undefined, 'KEYHASH#ab12').scope).toBe('tenant');
    expect(keyPattern('runs', undefined, 'TENANT#ten_1#WHS#whs_9').scope).toBe('subscription');
    expect(keyPattern('state', undefined, 'TENANT#ten_1#ROUTE#gh#org:42').scope).toBe('connection');
    expect(keyPattern('dedupe', undefined, 'WH#ten_1#int_1#d-1').scope).toBe('item');
    expect(keyPattern('dedupe', undefined, 'TENANT#ten_1#RATE#tenant#1700000000').pattern).toBe(
      'dedupe TENANT#<t>#RATE#<bucket>#<window>',
    );
    expect(keyPattern('dedupe', undefined, 'TENANT#ten_1#LEASE#sync:conn_2:issues').scope).toBe('connection');
  });
});

describe('write and read units', () => {
  const state = tables.state;
  it('counts the table by the larger image and each index the item is in', () => {
    const before = {
      pk: 'TENANT#t',
      sk: 'SYNC#c#issues',
      schedule_shard: '3',
      next_run_at: 'a',
      big: 'x'.repeat(1500),
    };
    const after = { ...before, next_run_at: 'b' };
    const units = itemWriteUnits('state', state, before, after);
    // Table: 2 KB; the schedule indexes' sort key moved: a delete and a put in each — the
    // whole item in `schedule` (ALL), only its keys in `schedule_v2` (INCLUDE, none present).
    expect(units).toEqual([
      { table: 'state', pk: 'TENANT#t', sk: 'SYNC#c#issues', read: 0, write: 2 },
      { table: 'state', index: 'schedule', pk: '3', sk: 'a', read: 0, write: 2 },
      { table: 'state', index: 'schedule', pk: '3', sk: 'b', read: 0, write: 2 },
      { table: 'state', index: 'schedule_v2', pk: '3', sk: 'a', read: 0, write: 1 },
      { table: 'state', index: 'schedule_v2', pk: '3', sk: 'b', read: 0, write: 1 },
    ]);
  });
  it('charges an INCLUDE index by its projection, and nothing when no projected attribute changed', () => {
    const before = { pk: 'T', sk: 'S', run_shard: '1', heartbeat_at: 'h', big: 'x'.repeat(3000) };
    expect(itemWriteUnits('state', state, before, { ...before, heartbeat_at: 'i' })).toEqual([
      { table: 'state', pk: 'T', sk: 'S', read: 0, write: 3 },
      { table: 'state', index: 'active', pk: '1', sk: 'h', read: 0, write: 1 },
      { table: 'state', index: 'active', pk: '1', sk: 'i', read: 0, write: 1 },
    ]);
    expect(itemWriteUnits('state', state, before, { ...before, big: 'y'.repeat(3000) })).toHaveLength(1);
  });
  it('doubles a transaction, and a failed condition spends the table only', () => {
    const item = { pk: 'T', sk: 'S', gsi1pk: 'G', gsi1sk: 'g' };
    expect(
      itemWriteUnits('state', state, undefined, item, { transaction: true }).map((u) => u.write),
    ).toEqual([2, 2]);
    expect(itemWriteUnits('state', state, item, undefined, { failed: true })).toEqual([
      { table: 'state', pk: 'T', sk: 'S', read: 0, write: 1 },
    ]);
  });
  it("names a Query's sort-key range, counted as one place in the hottest-item figure", () => {
    const q = (expr: string, values: Record<string, string>) =>
      queryRange({ KeyConditionExpression: expr, ExpressionAttributeValues: values });
    expect(q('pk = :pk AND begins_with(sk, :p)', { ':pk': 'T', ':p': 'CONN#' })).toBe('CONN#*');
    expect(q('#pk = :pk AND #sk BETWEEN :a AND :b', { ':pk': 'T', ':a': 'A', ':b': 'B' })).toBe('A..B');
    expect(q('feed_pk = :pk AND feed_cursor > :c', { ':pk': 'T', ':c': '01J' })).toBe('>01J');
    expect(q('pk = :pk', { ':pk': 'T' })).toBe('*');
  });
  it('reads per 4 KB, half when eventually consistent', () => {
    expect(readUnits(100, true)).toBe(1);
    expect(readUnits(100, false)).toBe(0.5);
    expect(readUnits(9000, false)).toBe(1.5);
  });
  it('bills SQS per 64 KB chunk', () => {
    expect(sqsBilledRequests({ service: 'sqs', op: 'SendMessageCommand', label: 'x', bytes: 70_000 })).toBe(
      2,
    );
    expect(sqsBilledRequests({ service: 'sqs', op: 'DeleteMessageCommand', label: 'x' })).toBe(1);
  });
});

describe('extrapolation', () => {
  const load = (scope: PatternLoad['scope'], parts: [string, number][]): PatternLoad => {
    const l = patternLoads(
      parts.map(([pk, write]) => ({
        service: 'dynamodb',
        op: 'PutItemCommand',
        label: 'x',
        units: [
          {
            table: scope === 'shard' ? 'state' : 'records',
            ...(scope === 'shard' ? { index: 'schedule' } : {}),
            pk,
            read: 0,
            write,
          },
        ],
      })),
    );
    return [...l.values()][0] as PatternLoad;
  };
  it("scales one connection's units per run by one connection's run rate", () => {
    // Two connections, 3 runs each; the hottest partition took 6 units: 2 a run × 3/3600 runs/s.
    const l = load('connection', [
      ['TENANT#t#CONN#a#MODEL#m', 6],
      ['TENANT#t#CONN#b#MODEL#m', 3],
    ]);
    expect(hotPartitionRate(l, 'sync run', 6).write).toBeCloseTo((6 / 3) * (3 / 3600));
    // The same partition under webhook events: 2,000/s on the org's one connection.
    expect(hotPartitionRate(l, 'webhook event', 6).write).toBeCloseTo((6 / 3) * 2000);
  });
  it('spreads a shard pattern evenly over the shards', () => {
    const l = load('shard', [
      ['1', 30],
      ['2', 10],
    ]);
    // 40 units over 2 shards seen, 40 runs → 1 unit a run per shard × 833/256 runs/s per shard.
    expect(hotPartitionRate(l, 'sync run', 40).write).toBeCloseTo(
      (20 / 20) * (SCENARIO.rates['sync run'].global / 256),
    );
    // The `active` index keeps 16 shards: the same load is 16× hotter a shard.
    const active = { ...l, pattern: 'state.active <shard>' };
    expect(hotPartitionRate(active, 'sync run', 40).write).toBeCloseTo(
      SCENARIO.rates['sync run'].global / 16,
    );
  });
  it('finds the hottest item of a partition: the bound where DynamoDB splits a key for heat', () => {
    // One connection, 4 runs: each run writes its own record once; one record is written by all 4.
    const units = (sk: string, write: number) => ({
      service: 'dynamodb' as const,
      op: 'PutItemCommand',
      label: 'x',
      units: [{ table: 'records', pk: 'TENANT#t#CONN#a#MODEL#m', sk, read: 0, write }],
    });
    const l = [
      ...patternLoads([
        units('REC#1', 1),
        units('REC#2', 1),
        units('REC#3', 1),
        units('REC#4', 1),
        ...['REC#hot', 'REC#hot', 'REC#hot', 'REC#hot'].map((sk) => units(sk, 1)),
      ]).values(),
    ][0] as PatternLoad;
    // The key: 8 units over 4 runs = 2 a run; the hottest item: 4 over 4 = 1 a run (× 2,000/s).
    expect(hotPartitionRate(l, 'webhook event', 4).write).toBeCloseTo(2 * 2000);
    expect(hotPartitionRate(l, 'webhook event', 4, 'item').write).toBeCloseTo(1 * 2000);
    // Each item's own rate, which the bench sums per item over the activities that touch it.
    const items = placeRates(l, 'webhook event', 4, 'item');
    expect(items.size).toBe(5);
    expect([...items.values()].map((x) => x.write).sort((a, b) => a - b)).toEqual([500, 500, 500, 500, 2000]);
    expect(SPLITS_FOR_HEAT.has(l.pattern)).toBe(true);
    expect(SPLITS_FOR_HEAT.has('records.feed TENANT#<t>#CONN#<c>#MODEL#<m>')).toBe(false);
  });
  it('compares against the partition limits', () => {
    expect(partitionShare({ write: 500, read: 0 })).toBe(0.5);
    expect(partitionShare({ write: 100, read: 2400 })).toBe(0.8);
  });
  it('turns duration into concurrency (Little), paper time divided by what runs at once', () => {
    expect(concurrencyAt(1000, 50)).toBe(50);
    const d = groupDurations({
      group: 'g',
      activity: 'webhook event',
      invocations: 10,
      units: 100,
      busyMs: 2000,
      awsRequests: 500,
      providerCalls: 0,
      memoryMb: 512,
      limit: 50,
      parallel: 10,
    });
    expect(d).toEqual({ localMs: 20, awsMs: 3 });
  });
});

describe('price math', () => {
  it('prices one unit by service', () => {
    const c = costOf({
      wru: 1e6,
      rru: 1e6,
      ddbRequests: 0,
      sqsRequests: 1e6,
      smCalls: 1e4,
      lambdaInvocations: 1e6,
      lambdaGbSeconds: 1,
      apiRequests: 1e6,
    });
    expect(c.DynamoDB).toBeCloseTo(
      PRICES.dynamodb.perMillionWriteUnits + PRICES.dynamodb.perMillionReadUnits,
    );
    expect(c.SQS).toBeCloseTo(0.4);
    expect(c.Lambda).toBeCloseTo(PRICES.lambda.perGbSecondArm + 0.2);
    expect(c['Secrets Manager']).toBeCloseTo(0.05);
    expect(c['API Gateway']).toBeCloseTo(1);
  });
  it('adds a month of each activity at its average rate to storage and secrets', () => {
    const one = {
      wru: 1,
      rru: 0,
      ddbRequests: 1,
      sqsRequests: 0,
      smCalls: 0,
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      apiRequests: 0,
    };
    const m = monthlyCost({ 'sync run': one }, { recordBytes: 0 });
    const runs = SCENARIO.rates['sync run'].global * secondsPerMonth;
    expect(m.byActivity['sync run']).toBeCloseTo((runs * PRICES.dynamodb.perMillionWriteUnits) / 1e6);
    expect(m.byService['Secrets Manager']).toBeCloseTo(
      SCENARIO.tenants * SCENARIO.integrationsPerTenant * 0.4,
    );
    expect(m.byService.DynamoDB).toBeCloseTo(m.byActivity['sync run'] ?? 0);
  });
});
