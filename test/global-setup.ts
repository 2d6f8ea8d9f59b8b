import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type Counterparts, startCounterparts } from '../local/counterparts';
import { provision } from '../local/provision';
import { contractCoverage } from './contract';
import { findLeaks } from './leak-watch';

/** The local counterparts, in memory, shared by every integration test of the run. */
let counterparts: Counterparts | undefined;

export default async function setup(project: TestProject) {
  const leakDir = mkdtempSync(join(tmpdir(), 'leak-watch-'));
  counterparts = await startCounterparts();
  const resources = await provision(counterparts.env, { notifyBucket: counterparts.notifyBucket });
  project.provide('awsEnv', {
    ...counterparts.env,
    ...resources,
    WEBHOOK_BASE_URL: 'http://127.0.0.1/webhooks',
    PUBLIC_API_URL: 'http://127.0.0.1',
    LEAK_WATCH_DIR: leakDir,
  });
  return async () => {
    await counterparts?.stop();
    // No secret, token or password in any response body or log line of the whole run.
    const leaks = findLeaks(leakDir);
    // Successes no test saw are answers no schema check covered (test/contract.ts).
    const unseen = await contractCoverage(leakDir).catch((e: Error) => [`(coverage failed: ${e.message})`]);
    if (unseen.length) console.warn(`contract: no answer of this run showed ${unseen.join(', ')}`);
    rmSync(leakDir, { recursive: true, force: true });
    if (leaks.length)
      throw new Error(`Secrets appeared in responses or logs of this run: ${leaks.join('; ')}`);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    awsEnv: Record<string, string>;
  }
}
