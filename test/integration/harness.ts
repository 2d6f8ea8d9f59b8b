import { randomUUID } from 'node:crypto';
import { createKey, createTenant } from '../../core/tenants/tenants';
import { type Gateway, startGateway } from '../../local/gateway';
import { provision } from '../../local/provision';
import { contractProblem } from '../contract';
import { recordOutput } from '../leak-watch';

/** A local gateway over the run's counterparts, and a fresh tenant with a key. */
export type Harness = { gateway: Gateway; tenantId: string; key: string; stop: () => Promise<void> };

export const newTenant = async (name = 'test') => {
  const tenant = await createTenant(name, { mode: 'test' });
  const { secret, key } = await createKey(tenant.tenant_id, { mode: 'test' });
  return { tenantId: tenant.tenant_id, key: secret, keyId: key.key_id };
};

// Gateways whose every answer `call` holds against the contract (test/contract.ts).
const checkedGateways = new Set<string>();

/**
 * Points this test file at a set of tables, queues and secrets of its own (`<name>…-`), on the
 * run's counterparts: for a file that scans whole tables, rotates the data key, or polls a
 * queue and reads what the worker prints (the shared queues hold other files' messages).
 * Call it before startHarness.
 */
export const ownResources = async (name: string): Promise<void> => {
  const env = await provision(
    {
      AWS_REGION: process.env.AWS_REGION as string,
      AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB as string,
      AWS_ENDPOINT_URL_SQS: process.env.AWS_ENDPOINT_URL_SQS as string,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER as string,
    },
    { prefix: `${name}${randomUUID().slice(0, 8)}` },
  );
  Object.assign(process.env, env);
};

export const startHarness = async (): Promise<Harness> => {
  const gateway = await startGateway(0);
  checkedGateways.add(gateway.url);
  // The OAuth callback URL is on this gateway, as it is on the deployed API.
  process.env.PUBLIC_API_URL = gateway.url;
  const { tenantId, key } = await newTenant();
  return { gateway, tenantId, key, stop: () => gateway.stop() };
};

/** What a test reads of a response body: loose on purpose, assertions pin the shape. */
// biome-ignore lint/suspicious/noExplicitAny: test-side view of arbitrary JSON
export type Json = any;
export type Reply = { status: number; headers: Headers; body: Json };

/** The body as a test reads it: parsed JSON, else the text. */
const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON: keep the text so the assertion shows it
  }
};

/**
 * Throws when an answer of a harness gateway breaks its route's contract (test/contract.ts).
 * `call` runs it on every answer; tests that fetch on their own (pages, MCP's client, raw
 * paths) run it through `checkedFetch` or directly.
 */
export const holdToContract = async (
  method: string,
  url: string,
  answer: { status: number; headers: Headers; body: unknown },
): Promise<void> => {
  const { origin } = new URL(url);
  if (!checkedGateways.has(origin)) return;
  const problem = await contractProblem({ method, url, ...answer });
  if (problem) throw new Error(`contract: ${method} ${url} → ${answer.status}: ${problem}`);
};

/** fetch, the answer recorded for the leak check and held against the contract. */
export const checkedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const text = await res.clone().text();
  recordOutput(text);
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const url = input instanceof Request ? input.url : String(input);
  await holdToContract(method, url, { status: res.status, headers: res.headers, body: parsed(text) });
  return res;
};

export const call = async (
  base: string,
  path: string,
  init: { key?: string; method?: string; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<Reply> => {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await res.text();
  // Every response goes to the leak check except the token endpoint's: handing the
  // tenant's backend a token is that route's contract (API.md). Its logs are still checked.
  if (!/^\/v1\/connections\/[^/]+\/token(\?|$)/.test(path)) recordOutput(text);
  const body = parsed(text);
  await holdToContract(init.method ?? 'GET', `${base}${path}`, {
    status: res.status,
    headers: res.headers,
    body,
  });
  return { status: res.status, headers: res.headers, body };
};

/** Asserts the error envelope of API.md and returns its error. */
export const expectError = (r: Reply, status: number, code: string) => {
  if (r.status !== status || r.body?.status !== 'error' || r.body?.error?.code !== code) {
    throw new Error(`expected ${status} ${code}, got ${r.status} ${JSON.stringify(r.body)}`);
  }
  const e = r.body.error;
  if (typeof e.message !== 'string' || !String(e.request_id).startsWith('req_')) {
    throw new Error(`malformed error envelope: ${JSON.stringify(r.body)}`);
  }
  if (r.headers.get('x-request-id') !== e.request_id)
    throw new Error('X-Request-Id does not match request_id');
  return e;
};
