import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection } from '../../core/connections/create';
import { createIntegration } from '../../core/integrations/integrations';
import { recordsPk } from '../../core/store/records-repo';
import { getRun } from '../../core/store/runs-repo';
import { listConnectionSyncs, triggerSyncs, updateConnectionSync } from '../../core/syncs/syncs';
import { createTenant } from '../../core/tenants/tenants';
import { workerFor } from '../../functions/workers';
import { startCounterparts } from '../../local/counterparts';
import { provision } from '../../local/provision';
import { startGitHubFake } from '../fakes/github';
import { asDeployed, bundlePrograms, parseSizes, runChild } from './programs';

/**
 * Sync throughput benchmark: N GitHub issues from the fake provider, 100 a page, through
 * the real sync worker into DynamoDB Local, against the floor of BatchWriteItem alone
 * putting the same N records into the same table, in the same run. The worker and the
 * floor each run in a process of their own, bundled as the CDK bundles a function, so a
 * peak RSS is theirs alone — not the fake's, nor this process's, nor DynamoDB Local's.
 *
 * Per size: raw BatchWriteItem first, then trigger `issues` (core `triggerSyncs`) and run
 * the worker until the run succeeds. Records/s = N ÷ (first message → run over). The
 * worker's node starts as Lambda's runtime starts it at the row's memory (`asDeployed`).
 *
 *   npm run bench -- sync [--sizes=10000,100000] [--warmup=5000] [--cpu-prof]
 *                         [--worker-flags="…"]  (default: the deployed worker's, functions/workers.ts)
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(repoRoot, '.bench/sync');
const reportFile = join(repoRoot, '.bench/sync.json');
const profileDir = join(outDir, 'profiles');

const DEFAULT_SIZES = [10_000, 100_000];
const WARMUP = 5_000;
const TARGETS = {
  /** Worker records/s ÷ raw BatchWriteItem records/s, at the throughput size. */
  ratio: 0.8,
  recordsPerSecond: 2_000,
  peakRssMb: 256,
  /**
   * "Flat in record count", two ways. Peak RSS does step up once in a long run, as V8 grows
   * the young generation to its cap under a steady allocation rate (raw BatchWriteItem
   * shows the same step), so flat means: no growth through the second half of the largest
   * run (peak at the end ≤ this × peak by half-way) …
   */
  lateRssGrowth: 1.05,
  /** … and the live heap after a full GC at the end grows by at most this from smallest to largest. */
  liveHeapGrowthMb: 10,
} as const;
const ENTRIES = {
  worker: 'test/bench/fixtures/sync-worker-host.ts',
  raw: 'test/bench/fixtures/raw-writes.ts',
} as const;

type Spent = Record<string, { n: number; ms: number }>;
type WorkerOut = {
  ms: number;
  status: string;
  records: { added: number; updated: number; deleted: number };
  pages: number;
  durationMs: number | null;
  invocations: number;
  peakRssMb: number;
  /** Highest RSS sampled by 25, 50, 75 and 100 % of the run. */
  peakRssByQuarterMb: number[];
  cpuMs: number;
  heapUsedMb: number;
  liveHeapMb: number | null;
  spent: Spent;
};
type RawOut = {
  ms: number;
  records: number;
  calls: number;
  prepMs: number;
  wallMs: number;
  peakRssMb: number;
  cpuMs: number;
};
/** CPU (ms) spent while a child ran: by DynamoDB Local's JVM, and by this process (the fake). */
type Around = { dynamoCpuMs: number | null; benchCpuMs: number };
type Result = {
  size: number;
  worker: WorkerOut & Around & { recordsPerSecond: number };
  raw: RawOut & Around & { recordsPerSecond: number };
  ratio: number;
  misses: string[];
};

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const since = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`;

/** The pid of the DynamoDB Local JVM listening on `port`, from /proc; undefined off Linux. */
const dynamoPid = (port: string): number | undefined => {
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // gone meanwhile
      }
      const args = cmd.split('\0');
      if (cmd.includes('DynamoDBLocal') && args[args.indexOf('-port') + 1] === port) return Number(pid);
    }
  } catch {
    // no /proc
  }
  return undefined;
};

/** User + system CPU of a process so far, ms (utime and stime of /proc/<pid>/stat, at 100 Hz). */
const procCpuMs = (pid: number | undefined): number | null => {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
};

/** Runs `fn`, adding what DynamoDB Local and this process spent in CPU meanwhile. */
const aroundCpu = async <T extends object>(jvm: number | undefined, fn: () => Promise<T>) => {
  const jvm0 = procCpuMs(jvm);
  const own0 = process.cpuUsage();
  const out = await fn();
  const jvm1 = procCpuMs(jvm);
  const own = process.cpuUsage(own0);
  const around: Around = {
    dynamoCpuMs: jvm0 === null || jvm1 === null ? null : jvm1 - jvm0,
    benchCpuMs: (own.user + own.system) / 1000,
  };
  return { ...out, ...around };
};

export const runSyncBench = async (args: readonly string[]): Promise<void> => {
  const sizes = parseSizes(args, DEFAULT_SIZES);
  const warmupArg = args.find((a) => a.startsWith('--warmup='));
  const warmup = warmupArg === undefined ? WARMUP : Number(warmupArg.slice('--warmup='.length));
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup takes a count: ${warmupArg}`);
  // --cpu-prof: V8 CPU profiles of the worker, one per size, for Chrome DevTools or speedscope.
  const cpuProfile = args.includes('--cpu-prof');
  // The worker's node starts as Lambda's runtime starts it (its row in functions/workers.ts:
  // V8's heap sized from the row's memory, then the row's flags through lib/node-flags.sh);
  // --worker-flags="…" runs node with exactly those flags instead, to see how V8's heap
  // settings move its peak RSS (--worker-flags= with nothing: V8's defaults for this host).
  const row = workerFor('sync');
  const flagsArg = args.find((a) => a.startsWith('--worker-flags='));
  const node =
    flagsArg === undefined
      ? asDeployed(row.memoryMb ?? 512 /* the house function's default */, row.nodeFlags)
      : {
          wrapper: undefined,
          args: flagsArg.slice('--worker-flags='.length).split(' ').filter(Boolean),
          env: {} as Record<string, string>,
        };
  const began = performance.now();
  console.log(
    `node ${process.version}; sizes ${sizes.map((n) => fmt(n)).join(', ')}; 100 issues a page; worker: ` +
      `${flagsArg === undefined ? `${row.memoryMb ?? 512} MB as deployed, ` : ''}` +
      `${node.wrapper ? `${basename(node.wrapper)} ` : ''}node ${node.args.join(' ')}` +
      Object.entries(node.env)
        .map(([k, v]) => ` ${k}="${v}"`)
        .join(''),
  );
  await mkdir(outDir, { recursive: true });
  const programs = await bundlePrograms(ENTRIES, outDir, repoRoot);

  console.log('starting DynamoDB Local, fauxqs, Secrets Manager (in memory)…');
  const counterparts = await startCounterparts();
  const results: Result[] = [];
  try {
    const resources = await provision(counterparts.env);
    const serviceEnv: Record<string, string> = {
      ...counterparts.env,
      ...resources,
      PUBLIC_API_URL: 'http://127.0.0.1',
      WEBHOOK_BASE_URL: 'http://127.0.0.1/webhooks',
      ALLOW_HTTP_LOOPBACK: 'true',
      POWERTOOLS_LOG_LEVEL: 'WARN',
    };
    Object.assign(process.env, serviceEnv);
    // What a child gets: the service's environment and nothing of ours (no tsx loaders).
    const childEnv = (extra: Record<string, string>) => ({
      PATH: process.env.PATH ?? '',
      ...serviceEnv,
      ...extra,
    });
    const tenant = await createTenant('sync-bench');
    const jvm = dynamoPid(new URL(counterparts.env.AWS_ENDPOINT_URL_DYNAMODB).port);

    let round = 0;
    /** One round: raw BatchWriteItem of `size` records, then the worker syncing them. */
    const measure = async (size: number, label: string): Promise<Result> => {
      round += 1;
      const key = `gh-bench-${round}`;
      console.log(`\n== ${label}: ${fmt(size)} issues (${since(began)} in)`);
      const fake = await startGitHubFake();
      try {
        fake.seedIssues(size);
        await createIntegration(tenant.tenant_id, {
          unique_key: key,
          provider: 'github',
          endpoints: { api_base_url: fake.apiBaseUrl },
        });
        const { connection } = await createConnection(tenant.tenant_id, {
          integration: key,
          end_user_id: `bench_${round}`,
          credentials: fake.valid,
        });
        // Nothing but the triggered run: keep every sync out of the schedule.
        for (const s of (await listConnectionSyncs(tenant.tenant_id, connection.id)).syncs) {
          await updateConnectionSync(tenant.tenant_id, connection.id, s.name, { paused: true });
        }
        if (fake.valid.type !== 'oauth2') throw new Error('the GitHub fake hands out oauth2 credentials');

        // The floor first: the worker's table is no emptier than the floor's.
        let t = performance.now();
        console.log(`raw BatchWriteItem of ${fmt(size)} records (25 a call, sequential)…`);
        const token = fake.valid.access_token;
        const raw = await aroundCpu(jvm, () =>
          runChild<RawOut>(
            programs.raw,
            childEnv({
              BENCH_PK: recordsPk(tenant.tenant_id, `${connection.id}_raw`, 'work_item'),
              BENCH_BASE_URL: fake.apiBaseUrl,
              BENCH_TOKEN: token,
            }),
            outDir,
          ),
        );
        if (raw.records !== size) throw new Error(`raw run wrote ${raw.records} records, not ${size}`);
        console.log(`  done in ${since(t)}: ${fmt(raw.ms / 1000, 1)} s of BatchWriteItem`);

        const { runs } = await triggerSyncs(tenant.tenant_id, {
          connection_id: connection.id,
          syncs: ['issues'],
          mode: 'incremental',
        });
        const runId = runs[0]?.id;
        if (runId === undefined) throw new Error('trigger queued no run');
        t = performance.now();
        console.log(`worker: run ${runId}…`);
        let watching = true;
        const progress = (async () => {
          for (let tick = 1; watching; tick++) {
            await new Promise((r) => setTimeout(r, 500));
            const r = watching && tick % 10 === 0 ? await getRun(tenant.tenant_id, runId) : undefined;
            if (r && watching) {
              console.log(
                `  ${fmt(r.records.added)} / ${fmt(size)} records, ${r.pages} pages, ${r.status} (${since(t)})`,
              );
            }
          }
        })();
        let worker: WorkerOut & Around;
        try {
          worker = await aroundCpu(jvm, () =>
            runChild<WorkerOut>(
              programs.worker,
              childEnv({ BENCH_TENANT_ID: tenant.tenant_id, BENCH_RUN_ID: runId, ...node.env }),
              outDir,
              [
                ...node.args,
                '--expose-gc', // only to measure the live heap once the run is over
                ...(cpuProfile
                  ? [
                      '--cpu-prof',
                      `--cpu-prof-dir=${profileDir}`,
                      `--cpu-prof-name=worker-${round}-${size}.cpuprofile`,
                    ]
                  : []),
              ],
              node.wrapper,
            ),
          );
        } finally {
          watching = false;
          await progress;
        }
        console.log(`  ${worker.status} in ${since(t)}`);
        if (worker.status !== 'success' || worker.records.added !== size) {
          throw new Error(`the run ended ${worker.status} with ${JSON.stringify(worker.records)}`);
        }

        const workerRps = size / (worker.ms / 1000);
        const rawRps = size / (raw.ms / 1000);
        return {
          size,
          worker: { ...worker, recordsPerSecond: workerRps },
          raw: { ...raw, recordsPerSecond: rawRps },
          ratio: workerRps / rawRps,
          misses: [],
        };
      } finally {
        await fake.stop();
      }
    };

    // DynamoDB Local's JIT and page cache warm up on whatever runs first: a discarded
    // round, so neither the floor nor the worker pays for it.
    if (warmup > 0) await measure(warmup, 'warm-up (discarded)');
    for (const size of sizes) results.push(await measure(size, 'measured'));
  } finally {
    await counterparts.stop();
  }

  // Throughput targets at the smallest size; RSS at every size, and flat across them.
  const smallest = results[0];
  const largest = results.at(-1);
  for (const r of results) {
    if (r === smallest) {
      if (r.ratio < TARGETS.ratio) r.misses.push('ratio');
      if (r.worker.recordsPerSecond < TARGETS.recordsPerSecond) r.misses.push('records/s');
    }
    if (r.worker.peakRssMb > TARGETS.peakRssMb) r.misses.push('RSS');
  }
  const byHalf = largest?.worker.peakRssByQuarterMb[1] ?? 0;
  const lateRssGrowth = largest && byHalf > 0 ? largest.worker.peakRssMb / byHalf : 1;
  const liveHeapGrowthMb =
    smallest?.worker.liveHeapMb != null && largest?.worker.liveHeapMb != null
      ? largest.worker.liveHeapMb - smallest.worker.liveHeapMb
      : 0;
  if (largest && (lateRssGrowth > TARGETS.lateRssGrowth || liveHeapGrowthMb > TARGETS.liveHeapGrowthMb))
    largest.misses.push('RSS not flat');

  console.log(
    `\ntargets: ratio ≥ ${TARGETS.ratio} and ≥ ${fmt(TARGETS.recordsPerSecond)} records/s at ${fmt(smallest?.size ?? 0)}; ` +
      `worker peak RSS ≤ ${TARGETS.peakRssMb} MB at every size, and flat: ≤ ${TARGETS.lateRssGrowth}× through the ` +
      `second half of the largest run, live heap after GC + ≤ ${TARGETS.liveHeapGrowthMb} MB from smallest to largest`,
  );
  console.table(
    results.map((r) => ({
      records: fmt(r.size),
      'worker rec/s': fmt(r.worker.recordsPerSecond),
      'raw rec/s': fmt(r.raw.recordsPerSecond),
      ratio: r.ratio.toFixed(2),
      'worker s': fmt(r.worker.ms / 1000, 1),
      'raw s': fmt(r.raw.ms / 1000, 1),
      'worker peak RSS MB': fmt(r.worker.peakRssMb, 1),
      pages: r.worker.pages,
      verdict: r.misses.length === 0 ? 'ok' : `MISS ${r.misses.join(', ')}`,
    })),
  );
  console.log('\nworker memory, MB (peak RSS by quarter of the run; live heap after a full GC at the end)');
  console.table(
    results.map((r) => {
      const [q1, q2, q3] = r.worker.peakRssByQuarterMb.map((mb) => fmt(mb, 1));
      return {
        records: fmt(r.size),
        'by 25%': q1,
        'by 50%': q2,
        'by 75%': q3,
        'peak (VmHWM)': fmt(r.worker.peakRssMb, 1),
        'live heap': r.worker.liveHeapMb === null ? 'n/a' : fmt(r.worker.liveHeapMb, 1),
        'raw BatchWriteItem peak RSS': fmt(r.raw.peakRssMb, 1),
      };
    }),
  );
  if (smallest && largest && largest !== smallest) {
    console.log(
      `peak RSS ${fmt(smallest.worker.peakRssMb, 1)} MB at ${fmt(smallest.size)} → ${fmt(largest.worker.peakRssMb, 1)} MB at ${fmt(largest.size)}; ` +
        `second half of ${fmt(largest.size)}: ${lateRssGrowth.toFixed(2)}×; live heap ${liveHeapGrowthMb >= 0 ? '+' : ''}${fmt(liveHeapGrowthMb, 1)} MB`,
    );
  }

  // Who burnt the CPU: on a small machine DynamoDB Local, the fake and the worker share
  // the cores, so every extra request the worker makes costs the JVM time too.
  const perK = (ms: number | null, n: number) => (ms === null ? 'n/a' : fmt((ms / n) * 1000));
  console.log(`\nCPU ms per 1,000 records (${availableParallelism()} cores)`);
  console.table(
    results.flatMap((r) =>
      (['raw', 'worker'] as const).map((who) => ({
        records: fmt(r.size),
        process: who,
        'timed s': fmt(r[who].ms / 1000, 1),
        'own CPU': perK(r[who].cpuMs, r.size),
        'DynamoDB Local CPU': perK(r[who].dynamoCpuMs, r.size),
        'fake (bench) CPU': perK(r[who].benchCpuMs, r.size),
      })),
    ),
  );

  // Where the worker's time went: time in flight per kind of call. The worker overlaps
  // them (the next page is fetched and looked up while this one is written, a page's
  // BatchWriteItem calls run together), so shares of the wall time add up past 100 %.
  for (const r of results) {
    const calls = Object.entries(r.worker.spent).sort((a, b) => b[1].ms - a[1].ms);
    console.log(`\nworker time at ${fmt(r.size)}: ${fmt(r.worker.ms)} ms over ${r.worker.pages} pages`);
    console.table(
      calls.map(([name, s]) => ({
        where: name,
        calls: s.n,
        'ms in flight': fmt(s.ms),
        'ms/call': (s.ms / s.n).toFixed(2),
        'share of wall': `${((100 * s.ms) / r.worker.ms).toFixed(1)}%`,
      })),
    );
    console.log(
      `raw at ${fmt(r.size)}: ${r.raw.calls} BatchWriteItem calls, ${(r.raw.ms / r.raw.calls).toFixed(2)} ms/call (${fmt((r.raw.ms / r.raw.records) * 100, 1)} ms per 100 records)`,
    );
  }

  const missed = results.filter((r) => r.misses.length > 0);
  console.log(
    missed.length === 0
      ? '\nall targets met'
      : `\nMISSED: ${missed.map((r) => `${fmt(r.size)} (${r.misses.join(', ')})`).join('; ')}`,
  );
  const report = {
    at: new Date().toISOString(),
    node: process.version,
    targets: TARGETS,
    sizes,
    worker: { memoryMb: flagsArg === undefined ? (row.memoryMb ?? 512) : null, ...node },
    lateRssGrowth,
    liveHeapGrowthMb,
    results,
    totalSeconds: (performance.now() - began) / 1000,
  };
  await writeFile(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${reportFile} (${since(began)} in all)`);
};
