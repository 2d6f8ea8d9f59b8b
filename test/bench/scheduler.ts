import type { ConnectionItem } from '../../core/store/connections-repo';
import type { DueSync } from '../../core/store/schedule-repo';
import { createTenant } from '../../core/tenants/tenants';
import { startCounterparts } from '../../local/counterparts';
import { provision } from '../../local/provision';
import { seedDueSyncs } from '../scheduler-seed';
import { parseSizes } from './programs';

/**
 * `npm run bench -- scheduler [--sizes=N]`: N due syncs (default 20,000) on the local stack,
 * queued in one run by the tick as it was — one function reading every shard and queueing
 * 64 at a time, six round trips a sync (`oneFunctionTick` below, kept here as the baseline)
 * — and by the fan-out as deployed (core/syncs/scheduler.ts: a shard worker per shard,
 * WORKERS of them at once as Lambda runs them, each claiming CHUNK syncs together). The
 * same N syncs are made due again between the two. It prints both rates, their ratio, and
 * the rate the design scenario needs (50,000 due a minute: 833/s).
 *
 * DynamoDB Local and fauxqs answer in milliseconds from one JVM and one Node process on this
 * machine, so the absolute rates say more about them than about AWS; the ratio is the figure
 * to read. The AWS estimates below are paper figures: round trips × latency / concurrency.
 */
const NEEDED_PER_SECOND = 50_000 / 60;
const PHASE_MS = 15_000;
/** The one-function tick's concurrency, and its round trips to queue one sync. */
const OLD_CONCURRENCY = 64;
const OLD_ROUND_TRIPS = 6;
/**
 * Shard workers at once: the worker row's default (functions/workers.ts). Each works one
 * shard at a time, LANES chunks in flight.
 */
const WORKERS = 16;
/**
 * A chunk of CHUNK syncs is four round trips one after another — BatchGetItem of the
 * connections, the claims side by side, BatchWriteItem of the runs, SendMessageBatch calls
 * side by side — whatever its size up to CHUNK.
 */
const CHUNK_STAGES = 4;
/** DynamoDB and SQS in-region latency, p50, ms: the paper figure the AWS estimates use. */
const AWS_ROUND_TRIP_MS = 6;

export const runSchedulerBench = async (args: readonly string[]): Promise<void> => {
  const [n = 20_000] = parseSizes(args, [20_000]);
  console.log(`node ${process.version}; ${n} due syncs`);
  console.log('starting DynamoDB Local, fauxqs (SQS + S3), Secrets Manager (in memory)…');
  const counterparts = await startCounterparts();
  try {
    const resources = await provision(counterparts.env, { notifyBucket: counterparts.notifyBucket });
    Object.assign(process.env, counterparts.env, resources, { POWERTOOLS_LOG_LEVEL: 'WARN' });
    // Imported after the environment is set: the scheduler reads its table and queue names.
    const { queueShard, CHUNK, LANES } = await import('../../core/syncs/scheduler');
    const { SCHEDULE_SHARDS, queryDue } = await import('../../core/store/schedule-repo');
    const { getSync, updateSync } = await import('../../core/store/syncs-repo');
    const { getConnection } = await import('../../core/store/connections-repo');
    const { queueRun } = await import('../../core/syncs/queue');
    const { nextRunAt } = await import('../../core/syncs/frequency');
    const tenant = await createTenant('scheduler-bench');
    const dueAt = '1980-01-01T00:00:00.000Z';
    const t0 = Date.now();
    const seeded = await seedDueSyncs(tenant.tenant_id, n, dueAt);
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const tick = new Date('1990-06-01T00:00:00Z');

    /** The tick before the fan-out, as it was: read every shard, queue 64 at a time. */
    const oneFunctionTick = async (now: Date, budgetMs: number) => {
      const deadline = Date.now() + budgetMs;
      const found = await Promise.all(
        Array.from({ length: SCHEDULE_SHARDS }, (_, s) => queryDue(s, now.toISOString(), 5_000)),
      );
      const due: DueSync[] = found.flat();
      let next = 0;
      let queued = 0;
      let failed = 0;
      const queueOne = async (d: DueSync) => {
        const s = await getSync(d.tenant_id, d.connection_id, d.sync);
        if (!s || s.paused || !s.next_run_at || s.next_run_at > now.toISOString()) return false;
        const moved = await updateSync(
          d.tenant_id,
          d.connection_id,
          d.sync,
          { next_run_at: nextRunAt(s.frequency, now.getTime()) },
          { condition: 'next_run_at = :seen', values: { ':seen': s.next_run_at } },
        );
        if (!moved) return false;
        const c = await getConnection(d.tenant_id, d.connection_id);
        if (c?.status !== 'active') return false;
        await queueRun(c as ConnectionItem, moved, 'incremental', 'schedule');
        return true;
      };
      const lane = async () => {
        while (next < due.length && Date.now() < deadline) {
          const d = due[next++] as DueSync;
          try {
            if (await queueOne(d)) queued++;
          } catch {
            failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: OLD_CONCURRENCY }, lane));
      return { queued, failed, left: due.length - next };
    };

    /** The fan-out: every shard's message, WORKERS shard workers at once. */
    const fanOut = async (now: Date, budgetMs: number) => {
      const deadline = Date.now() + budgetMs;
      let next = 0;
      const r = { queued: 0, failed: 0, left: 0 };
      const worker = async () => {
        while (next < SCHEDULE_SHARDS && Date.now() < deadline) {
          const x = await queueShard(next++, now, { budgetMs: deadline - Date.now() });
          r.queued += x.queued;
          r.failed += x.failed;
          r.left += x.left;
        }
      };
      await Promise.all(Array.from({ length: WORKERS }, worker));
      return r;
    };

    type Outcome = { queued: number; failed: number; left: number };
    const phase = async (label: string, run: (now: Date, budgetMs: number) => Promise<Outcome>) => {
      const started = Date.now();
      const r = await run(tick, PHASE_MS);
      const s = (Date.now() - started) / 1000;
      const rate = r.queued / s;
      // Every seeded sync is due and queueable: what was not queued is left for the next tick.
      console.log(
        `${label}: ${r.queued} of ${n} queued in ${s.toFixed(1)} s (${rate.toFixed(0)}/s), ${r.failed} failed, ${n - r.queued} left due`,
      );
      return rate;
    };
    const before = await phase(
      `one function, ${OLD_CONCURRENCY} at a time (the tick before)`,
      oneFunctionTick,
    );
    // The same syncs due again, idle, for the fan-out.
    await seedDueSyncs(tenant.tenant_id, n, dueAt, { ids: seeded.map((s) => s.connection_id) });
    const now = await phase(`fan-out, ${WORKERS} shard workers (the tick now)`, fanOut);

    const awsBefore = OLD_CONCURRENCY / ((OLD_ROUND_TRIPS * AWS_ROUND_TRIP_MS) / 1000);
    const awsNow = (WORKERS * LANES * CHUNK) / ((CHUNK_STAGES * AWS_ROUND_TRIP_MS) / 1000);
    console.table([
      { tick: `before (one function, ${OLD_CONCURRENCY} at a time)`, 'local syncs/s': before.toFixed(0) },
      { tick: `now (${WORKERS} shard workers)`, 'local syncs/s': now.toFixed(0) },
    ]);
    console.log(`ratio now/before, same run: ${(now / before).toFixed(2)}×`);
    console.log(`needed at the scenario: ${NEEDED_PER_SECOND.toFixed(0)}/s`);
    console.log(
      `paper estimate on AWS, before: ${OLD_ROUND_TRIPS} round trips × ${AWS_ROUND_TRIP_MS} ms, ${OLD_CONCURRENCY} at a time = ${awsBefore.toFixed(0)}/s (${(awsBefore / NEEDED_PER_SECOND).toFixed(2)}× the due rate)`,
    );
    console.log(
      `paper estimate on AWS, now: ${CHUNK_STAGES} round trips a chunk of ${CHUNK} × ${AWS_ROUND_TRIP_MS} ms, ${WORKERS} workers × ${LANES} chunks at a time = ${awsNow.toFixed(0)}/s (${(awsNow / NEEDED_PER_SECOND).toFixed(1)}× the due rate; DynamoDB's write rate, ~1 write unit a claim, binds first)`,
    );
  } finally {
    await counterparts.stop();
  }
};
