import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureDevTenant } from './dev-tenant';
import { startLocalRuntime } from './runtime';

/**
 * `npm start [-- --fresh]`: the whole service on this machine. State lives in .local/
 * (kept across restarts; --fresh wipes it). Ctrl-C stops everything.
 */
const root = resolve(import.meta.dirname, '..');
// LOCAL_DATA_DIR lets tests run a second stack beside a developer's own.
const dataDir = resolve(root, process.env.LOCAL_DATA_DIR ?? '.local');
const port = Number(process.env.PORT ?? 3000);

if (process.argv.includes('--fresh')) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const started = performance.now();
const runtime = await startLocalRuntime({ port, dataDir });
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

try {
  const dev = await ensureDevTenant(
    join(dataDir, 'dev-tenant.json'),
    process.env.DEV_SECRET_KEY || undefined,
  );
  // What `npm run admin` needs to reach this stack.
  writeFileSync(join(dataDir, 'endpoints.json'), JSON.stringify({ ...runtime.env, ...pick(process.env) }), {
    mode: 0o600,
  });
  console.log(
    [
      '',
      `Integrations service running at ${runtime.url} (ready in ${Math.round(performance.now() - started)} ms)`,
      `  webhooks (function URL):  ${runtime.url}/webhooks/{tenant_id}/{integration_key}`,
      `  development tenant:       ${dev.tenantId}`,
      `  secret key:               ${dev.key}`,
      '',
      `  curl -H "Authorization: Bearer ${dev.key}" ${runtime.url}/v1/providers`,
      '',
      'Ctrl-C stops everything.',
    ].join('\n'),
  );
} catch (e) {
  console.error('Failed to start:', e);
  await runtime.stop();
  process.exit(1);
}

function pick(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v && /(_TABLE|_QUEUE_URL|_DLQ_URL|_SECRET_ID)$/.test(k)) out[k] = v;
  }
  return out;
}
