import { createKey, createTenant } from '../../core/tenants/tenants';
import { type Gateway, startGateway } from '../../local/gateway';
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

export const call = async (
  base: string,
  path: string,
  init: { key?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
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
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text so the assertion shows it
  }
  if (checkedGateways.has(base)) {
    const method = init.method ?? 'GET';
    const problem = await contractProblem({
      method,
      url: `${base}${path}`,
      status: res.status,
      headers: res.headers,
      body,
    });
    if (problem) throw new Error(`contract: ${method} ${path} → ${res.status}: ${problem}`);
  }
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
