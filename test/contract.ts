import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as z from 'zod/mini';
import { type ErrorCode, errorStatus } from '../core/platform/errors';
import type { RouteContract } from '../functions/openapi/contract';
import { contractPathOf, type LoadedRoute, loadRoutes, successesOf } from '../functions/openapi/document';
import { errorEnvelope } from '../functions/openapi/errors';
import { eventPayloads } from '../functions/openapi/shapes/webhooks';
import { routeKey, routes } from '../functions/routes';
import { matchRoute } from '../local/gateway';

/**
 * Holds an answer of the service against the contract the OpenAPI document publishes: the
 * success statuses and data shape of its route's contract (functions/http/responses/), the
 * error envelope and the error codes the route declares, and the headers every answer
 * carries. test/integration/harness.ts `call` runs it on every answer from the local
 * gateway, so every integration test is a contract test too: a handler whose answer drifts
 * from its declared schema fails the test that saw it.
 */
let loaded: Promise<Map<string, LoadedRoute>> | undefined;
const routesByKey = () => {
  loaded ??= loadRoutes().then((ls) => new Map(ls.map((l) => [l.key, l])));
  return loaded;
};

const issuesOf = (schema: z.ZodMiniType, value: unknown): string | undefined => {
  const r = schema.safeParse(value);
  if (r.success) return undefined;
  return r.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
};

// Which route answered what, across the run's workers: global teardown prints the routes
// whose success no test saw (contractCoverage), the answers nobody held against a schema.
const seen = (key: string, status: number, code = '') => {
  const dir = process.env.LEAK_WATCH_DIR;
  if (dir) appendFileSync(join(dir, `${process.pid}.contract`), `${key}\t${status}\t${code}\n`);
};

/** Route keys with the success statuses no answer of the run showed (global teardown prints them). */
export const contractCoverage = async (dir: string): Promise<string[]> => {
  const all = await Promise.all(
    routes.map(async (r) => {
      const file = pathToFileURL(resolve(import.meta.dirname, '..', contractPathOf(r.handler))).href;
      const { contract } = (await import(file)) as { contract: RouteContract };
      return { key: routeKey(r), statuses: successesOf(contract).map((s) => s.status) };
    }),
  );
  const got = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.contract'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const [key, status] = line.split('\t');
      if (key) got.add(`${key} ${status}`);
    }
  }
  return all.flatMap(({ key, statuses }) =>
    statuses.filter((s) => !got.has(`${key} ${s}`)).map((s) => `${key} ${s}`),
  );
};

export type Answer = { method: string; url: string; status: number; headers: Headers; body: unknown };

/** What is wrong with the answer, or undefined when it keeps the contract. */
export const contractProblem = async (a: Answer): Promise<string | undefined> => {
  const { pathname } = new URL(a.url);
  if (pathname.startsWith('/webhooks/')) return undefined; // the function URL: no route of the table
  const match = matchRoute(a.method, pathname);
  if (!match) return undefined;
  const body = a.body as { status?: unknown; message?: unknown } | undefined;
  // API Gateway's own answer to a body over its limit never reaches a handler.
  if (a.status === 413 && body?.status === undefined && body?.message !== undefined) return undefined;
  const key = routeKey(match.route);
  const l = (await routesByKey()).get(key);
  if (!l) return `${key} has no contract`;
  const requestId = a.headers.get('x-request-id') ?? '';
  if (!requestId.startsWith('req_')) return `no X-Request-Id (got '${requestId}')`;

  if (a.status < 400) {
    seen(key, a.status);
    const declared = successesOf(l.contract);
    const s = declared.find((d) => d.status === a.status);
    if (!s)
      return `answered ${a.status}; ${key} declares ${declared.map((d) => d.status).join(', ') || 'none'}`;
    if (!a.headers.get('x-api-version')) return 'no X-Api-Version on a success';
    if (l.route.auth !== 'none' && !a.headers.get('x-ratelimit-remaining'))
      return 'no X-RateLimit-* on an authenticated success';
    if ('redirect' in s) return a.headers.get('location') ? undefined : 'a redirect without Location';
    if ('raw' in s) {
      const type = a.headers.get('content-type') ?? '';
      if (!type.startsWith(s.raw.contentType)) return `content-type ${type}, declared ${s.raw.contentType}`;
      const problem = issuesOf(s.raw.schema, a.body);
      return problem ? `body does not match its declared schema: ${problem}` : undefined;
    }
    if (body?.status !== 'success') return `a ${a.status} without the success envelope`;
    const problem = issuesOf(s.data, (a.body as { data?: unknown }).data);
    return problem ? `data does not match its declared schema: ${problem}` : undefined;
  }

  const envelope = issuesOf(errorEnvelope, a.body);
  if (envelope) return `a ${a.status} outside the error envelope: ${envelope}`;
  const code = (a.body as { error: { code: ErrorCode } }).error.code;
  seen(key, a.status, code);
  if (errorStatus[code] !== a.status) return `${code} answered with ${a.status}, not ${errorStatus[code]}`;
  if (!l.errors.includes(code)) {
    return `${code} is not among the errors ${key} declares (${l.errors.join(', ')}): add it to its contract's errors`;
  }
  return undefined;
};

/** What is wrong with an outbound webhook delivery's body, against the document's `webhooks`. */
export const eventProblem = (event: unknown): string | undefined => {
  const type = (event as { type?: string } | null)?.type ?? '';
  const schema = (eventPayloads as Record<string, z.ZodMiniType>)[type];
  if (!schema) return `event type '${type}' is not among the document's webhooks`;
  const problem = issuesOf(schema, event);
  return problem ? `${type} does not match its declared schema: ${problem}` : undefined;
};
