import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SECRET_KEY_PATTERN } from '../core/tenants/tenants';
import { ensureDevTenant } from './dev-tenant';
import { type LocalRuntime, startLocalRuntime } from './runtime';

/**
 * `npm start [-- --fresh]`: the whole service on this machine. State lives in .local/
 * (kept across restarts; --fresh wipes it). Ctrl-C stops everything.
 *
 * The port opens only once the development tenant and its key exist, so a script that
 * waits for /health/ready and then calls the API with the printed key never sees a 401.
 */
const root = resolve(import.meta.dirname, '..');
// LOCAL_DATA_DIR lets tests run a second stack beside a developer's own.
const dataDir = resolve(root, process.env.LOCAL_DATA_DIR ?? '.local');
const port = Number(process.env.PORT ?? 3000);
const devKey = process.env.DEV_SECRET_KEY || undefined;

// A key the service would refuse fails here, before anything starts or listens.
if (devKey !== undefined && !SECRET_KEY_PATTERN.test(devKey)) {
  console.error(
    'DEV_SECRET_KEY is not a secret key: it must be sk_test_ or sk_live_ followed by 32 to 128 ' +
      'letters, digits, - or _ (for example sk_test_ and 40 random characters).',
  );
  process.exit(2);
}

if (process.argv.includes('--fresh')) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const started = performance.now();
let dev: { tenantId: string; key: string } | undefined;
let runtime: LocalRuntime;
try {
  runtime = await startLocalRuntime({
    port,
    dataDir,
    beforeListen: async () => {
      dev = await ensureDevTenant(join(dataDir, 'dev-tenant.json'), devKey);
    },
  });
} catch (e) {
  console.error('Failed to start:', e);
  process.exit(1);
}
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  await runtime.stop();
  rmSync(join(dataDir, 'endpoints.json'), { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

const { tenantId, key } = dev as { tenantId: string; key: string };
// What `npm run admin` needs to reach this stack.
writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify({ ...runtime.env, ...pick(process.env) }), {
  mode: 0o600,
});
console.log(
  [
    '',
    `Integrations service running at ${runtime.url} (ready in ${Math.round(performance.now() - started)} ms)`,
    `  webhooks (function URL):  ${runtime.url}/webhooks/{tenant_id}/{integration_key}`,
    `  development tenant:       ${tenantId}`,
    `  secret key:               ${key}`,
    '',
    `  curl -H "Authorization: Bearer ${key}" ${runtime.url}/v1/providers`,
    '',
    'Ctrl-C stops everything.',
  ].join('\n'),
);

function pick(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v && /(_TABLE|_QUEUE_URL|_DLQ_URL|_SECRET_ID)$/.test(k)) out[k] = v;
  }
  return out;
}
