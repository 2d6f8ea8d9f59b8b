import type { TestProject } from 'vitest/node';
import { type Counterparts, startCounterparts } from '../local/counterparts';
import { provision } from '../local/provision';

/** The local counterparts, in memory, shared by every integration test of the run. */
let counterparts: Counterparts | undefined;

export default async function setup(project: TestProject) {
  counterparts = await startCounterparts();
  const resources = await provision(counterparts.env);
  project.provide('awsEnv', {
    ...counterparts.env,
    ...resources,
    WEBHOOK_BASE_URL: 'http://127.0.0.1/webhooks',
  });
  return async () => {
    await counterparts?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    awsEnv: Record<string, string>;
  }
}
