import { createTenant } from '../../core/tenants/tenants';
import { startCounterparts } from '../../local/counterparts';
import { provision } from '../../local/provision';
import { seedDueSyncs } from '../scheduler-seed';
import { parseSizes } from './programs';

/**
 * `npm run bench -- scheduler [--sizes=N]`: N due syncs (default 20,000) on the local stack,
 * queued by the scheduler's tick as deployed (core/syncs/scheduler.ts: CONCURRENCY at a
 * time) and, in the same run, one at a time as the tick did before — each for the same
 * budget, over the same due syncs. It prints both rates, their ratio, and the rate the
 * design scenario needs (50,000 due a minute: 833/s).
 *
 * DynamoDB Local and fauxqs answer in milliseconds from one JVM and one Node process on this
 * machine, so the absolute rates say more about them than about AWS; the ratio is the figure
 * to read. The AWS estimate below is a paper figure from the tick's six round trips.
 */
const NEEDED_PER_SECOND = 50_000 / 60;
const PHASE_MS = 15_000;
/** Round trips to queue one sync (read it, move it, read the connection, write the run, claim, send). */
const ROUND_TRIPS = 6;
/** DynamoDB and SQS in-region latency, p50, ms: the paper figure the AWS estimate uses. */
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
    const { queueDueSyncs, CONCURRENCY } = await import('../../core/syncs/scheduler');
    const tenant = await createTenant('scheduler-bench');
    const t0 = Date.now();
    await seedDueSyncs(tenant.tenant_id, n, '1980-01-01T00:00:00.000Z');
    console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const tick = new Date('1990-06-01T00:00:00Z');

    const phase = async (label: string, concurrency: number) => {
      const started = Date.now();
      const r = await queueDueSyncs(tick, { concurrency, budgetMs: PHASE_MS });
      const s = (Date.now() - started) / 1000;
      const rate = r.queued / s;
      console.log(
        `${label}: ${r.queued} queued in ${s.toFixed(1)} s (${rate.toFixed(0)}/s), ${r.failed} failed, ${r.left} left due`,
      );
      return rate;
    };
    // Sequential first: what it leaves is still due for the concurrent tick.
    const before = await phase('one at a time (the tick before)', 1);
    const now = await phase(`${CONCURRENCY} at a time (the tick now)`, CONCURRENCY);
    const awsEstimate = CONCURRENCY / ((ROUND_TRIPS * AWS_ROUND_TRIP_MS) / 1000);
    console.table([
      { tick: 'before (1 at a time)', 'local syncs/s': before.toFixed(0) },
      { tick: `now (${CONCURRENCY} at a time)`, 'local syncs/s': now.toFixed(0) },
    ]);
    console.log(`ratio now/before, same run: ${(now / before).toFixed(2)}×`);
    console.log(
      `needed at the scenario: ${NEEDED_PER_SECOND.toFixed(0)}/s; paper estimate on AWS (${ROUND_TRIPS} round trips × ${AWS_ROUND_TRIP_MS} ms, ${CONCURRENCY} at a time): ${awsEstimate.toFixed(0)}/s = ${(awsEstimate / NEEDED_PER_SECOND).toFixed(2)}× the due rate`,
    );
  } finally {
    await counterparts.stop();
  }
};
