import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * `npm run admin -- <command>`: tenant and key administration. No HTTP route creates
 * tenants (API.md). Runs against the local stack of `npm start` by default, or
 * against AWS with `--aws` and the stack's outputs in the environment (STATE_TABLE,
 * DATA_KEY_SECRET_ID, …) plus the usual AWS credentials. A new key or tenant id is
 * printed alone on the last line of stdout, so scripts can take it with `tail -1`.
 */
const usage = `usage: npm run admin -- [--aws] <command>
  create-tenant NAME [--test]      create a live tenant (or a test tenant); prints its id
  create-key TENANT_ID             create a secret key of the tenant's mode (sk_live_… for a live
                                   tenant, sk_test_… for a test one); prints it once
  list-keys TENANT_ID              list a tenant's keys (never the secrets)
  revoke-key KEY_ID                revoke a key at once
  set-rate-limit TENANT_ID N       requests per minute per key for that tenant (default 600)
  set-tenant-rate-limit TENANT_ID N  requests per minute for the whole tenant, every key and
                                   end-user token together (default 3000)
  rotate-data-key                  add a data-key version; re-seal every connection's credentials and
                                   webhook subscription's secret still under an older one
  retire-data-keys [--keep N]      remove all but the N newest data-key versions (default 2); refused
                                   while anything is still sealed under one of them
  stats [TENANT_ID] [--hours N]    what happened in the last N hours (default 1), from the tables:
                                   sync runs, records written, outbound deliveries, provider webhook
                                   deliveries and duplicates, events kept unrouted or failed (scans:
                                   for one machine or a small deployment; on AWS see the dashboard)
  reindex-routes                   write the webhook routing index for integrations created before it
                                   (their events are routed by listing connections until then)
  import FILE.csv --tenant TENANT_ID --end-user END_USER [--workspace WS] [--mapping m.json] [--full]
                                   import a CSV export through a presigned upload, with a progress
                                   bar; prints the import at the end (exit code 1 unless success)
  redrive QUEUE [--dry-run]        move the dead letters of QUEUE (sync, webhook, outbound, import)
                                   back to it once their cause is fixed (SQS StartMessageMoveTask,
                                   or receive/send/delete in batches where the SQS lacks it, as the
                                   local one does); --dry-run only counts them`;

const args = process.argv.slice(2);
const aws = args.includes('--aws');
const test = args.includes('--test');
// Options that take a value: keep their values out of the positional arguments.
const VALUED = ['--keep', '--hours', '--tenant', '--end-user', '--workspace', '--mapping'];
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const keep = option('--keep');
const positional = args.filter((a, i) => !a.startsWith('--') && !VALUED.includes(args[i - 1] ?? ''));
const hours = option('--hours');
const [command, arg] = positional;

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

if (!aws) {
  const file = join(
    resolve(import.meta.dirname, '..'),
    process.env.LOCAL_DATA_DIR ?? '.local',
    'endpoints.json',
  );
  if (!existsSync(file)) fail('The local stack is not running: start it with `npm start` (or pass --aws).');
  Object.assign(process.env, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
} else if (!process.env.STATE_TABLE) {
  fail('--aws needs STATE_TABLE (and DATA_KEY_SECRET_ID) from the stack outputs in the environment.');
}

// Imported after the environment is set: the SDK clients read it on first use.
const tenants = await import('../core/tenants/tenants');

try {
  switch (command) {
    case 'create-tenant': {
      if (!arg) fail(usage);
      const t = await tenants.createTenant(arg as string, { mode: test ? 'test' : 'live' });
      console.log(`${t.mode} tenant ${t.tenant_id} (${t.name}) created`);
      console.log(t.tenant_id);
      break;
    }
    case 'create-key': {
      if (!arg) fail(usage);
      // --test asks for a test key: refused on a live tenant, as is a live key on a test one.
      const { key, secret } = await tenants.createKey(arg as string, test ? { mode: 'test' } : {});
      console.log(`key ${key.key_id} created for ${key.tenant_id}; it is shown this once:`);
      console.log(secret);
      break;
    }
    case 'list-keys': {
      if (!arg) fail(usage);
      const keys = await tenants.listKeys(arg as string);
      for (const k of keys) {
        console.log(
          `${k.key_id}  sk_${k.mode}_…${k.last4}  created ${k.created_at}${k.revoked_at ? `  revoked ${k.revoked_at}` : ''}`,
        );
      }
      if (keys.length === 0) console.log('no keys');
      break;
    }
    case 'revoke-key': {
      if (!arg) fail(usage);
      const k = await tenants.revokeKey(arg as string);
      console.log(`key ${k.key_id} revoked at ${k.revoked_at}`);
      break;
    }
    case 'set-rate-limit':
    case 'set-tenant-rate-limit': {
      const n = Number(positional[2]);
      if (!arg || !Number.isInteger(n) || n < 1 || n > 1_000_000) fail(usage);
      const { setRateLimit } = await import('../core/store/tenants-repo');
      const scope = command === 'set-rate-limit' ? 'key' : 'tenant';
      await setRateLimit(arg as string, n, scope);
      console.log(
        `tenant ${arg}: ${n} requests a minute ${scope === 'key' ? 'per key' : 'for the tenant'} (Lambdas pick it up within a minute)`,
      );
      break;
    }
    case 'rotate-data-key': {
      const { rotateDataKey } = await import('../core/keys/rotation');
      const r = await rotateDataKey();
      console.log(
        `data key version ${r.current_version} is current; re-sealed ${r.resealed.connections} connection(s) and ` +
          `${r.resealed.webhook_subscriptions} webhook subscription secret(s)` +
          (r.changed_meanwhile ? `, ${r.changed_meanwhile} changed meanwhile (run again to finish)` : ''),
      );
      break;
    }
    case 'retire-data-keys': {
      const n = keep === undefined ? 2 : Number(keep);
      if (!Number.isInteger(n) || n < 1) fail(usage);
      const { retireDataKeys, RetireRefused } = await import('../core/keys/rotation');
      try {
        const r = await retireDataKeys({ keep: n });
        console.log(
          r.retired.length
            ? `retired data key version(s) ${r.retired.join(', ')}; kept ${r.kept.join(', ')} (current ${r.current_version})`
            : `nothing to retire; the secret holds ${r.kept.join(', ')} (current ${r.current_version})`,
        );
      } catch (e) {
        if (!(e instanceof RetireRefused)) throw e;
        fail([`refused: ${e.message}`, ...(e.report.examples ?? []).map((x) => `  ${x}`)].join('\n'));
      }
      break;
    }
    case 'reindex-routes': {
      const { reindexRoutes } = await import('../core/webhooks/routes');
      const r = await reindexRoutes();
      console.log(`indexed ${r.connections} connection(s) of ${r.integrations} integration(s)`);
      break;
    }
    case 'stats': {
      const h = hours === undefined ? 1 : Number(hours);
      if (!Number.isFinite(h) || h <= 0 || h > 24 * 30) fail(usage);
      const { windowStats } = await import('../core/store/stats-repo');
      const s = await windowStats(Date.now() - h * 3600_000, arg);
      const line = (label: string, counts: Record<string, number>) => {
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        const parts = Object.entries(counts)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([k, v]) => `${k} ${v}`);
        console.log(
          `${label.padEnd(26)}${String(total).padStart(7)}${parts.length ? `  (${parts.join(', ')})` : ''}`,
        );
      };
      console.log(`since ${s.since}${arg ? ` for tenant ${arg}` : ''}`);
      line('sync runs', s.runs);
      console.log(`${'records written'.padEnd(26)}${String(s.records_written).padStart(7)}`);
      line('webhook deliveries', s.webhook_deliveries);
      console.log(`${'webhook duplicates dropped'.padEnd(26)}${String(s.webhook_duplicates).padStart(7)}`);
      line('webhook events kept', s.webhook_events_kept);
      line('outbound attempts', s.deliveries);
      break;
    }
    case 'import': {
      const tenantId = option('--tenant');
      const endUserId = option('--end-user');
      if (!arg || !tenantId || !endUserId) fail(usage);
      const { importFile } = await import('./import-file');
      const view = await importFile({
        file: arg as string,
        tenantId: tenantId as string,
        endUserId: endUserId as string,
        workspaceId: option('--workspace'),
        mappingFile: option('--mapping'),
        full: args.includes('--full'),
      });
      console.log(JSON.stringify(view, null, 2));
      if (view.status !== 'success') process.exitCode = 1;
      break;
    }
    case 'redrive': {
      const { queues } = await import('../core/platform/resources');
      if (!arg || !Object.hasOwn(queues, arg)) fail(usage);
      const queue = arg as keyof typeof queues;
      const { redrive } = await import('../core/platform/redrive');
      const r = await redrive(queue, { dryRun: args.includes('--dry-run') });
      console.log(`${r.waiting} messages in the ${queue} dead-letter queue`);
      if (r.method === 'dry-run') console.log('dry run: nothing moved');
      else if (r.method === 'move-task') {
        console.log(
          `SQS is moving ${r.moved} back to the ${queue} queue (task ${r.taskHandle ?? 'started'})`,
        );
      } else console.log(`moved ${r.moved} back to the ${queue} queue`);
      break;
    }
    default:
      fail(usage);
  }
} catch (e) {
  fail(`error: ${(e as Error).message}`);
}
