import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../local/counterparts';
import { call, expectError, type Harness, startHarness } from './harness';

// This file runs in its own process: point SQS at a port where nothing listens before
// any client is created, and readiness must say exactly which dependency is down.
let h: Harness;
beforeAll(async () => {
  process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${await freePort()}`;
  h = await startHarness();
});
afterAll(() => h.stop());

it('GET /health/ready → 503 service_unavailable naming the dependency that is down', async () => {
  const r = await call(h.gateway.url, '/health/ready');
  const e = expectError(r, 503, 'service_unavailable');
  expect(e.details.checks.sqs.status).toBe('error');
  expect(e.details.checks.dynamodb.status).toBe('ok');
  expect(e.details.checks.secrets_manager.status).toBe('ok');
});

it('GET /health still answers: the process is up', async () => {
  expect((await call(h.gateway.url, '/health')).status).toBe(200);
});
