import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as z from 'zod/mini';
import { type ErrorCode, errorStatus } from '../core/platform/errors';
import { contentTypesOf, type Method, type Raw, type RouteContract } from '../functions/openapi/contract';
import {
  contractPathOf,
  errorPairsOf,
  type LoadedRoute,
  loadRoutes,
  methodsOf,
  successesOf,
} from '../functions/openapi/document';
import { errorEnvelope } from '../functions/openapi/errors';
import { eventPayloads } from '../functions/openapi/shapes/webhooks';
import { routeKey, routes } from '../functions/routes';
import { matchPreflight, matchRoute } from '../local/gateway';

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
const seen = (key: string, status: number | 'default', code = '') => {
  const dir = process.env.LEAK_WATCH_DIR;
  if (dir) appendFileSync(join(dir, `${process.pid}.contract`), `${key}\t${status}\t${code}\n`);
};

/** Route keys with the success statuses no answer of the run showed (global teardown prints them). */
export const contractCoverage = async (dir: string): Promise<string[]> => {
  const all = await Promise.all(
    routes.map(async (r) => {
      const file = pathToFileURL(resolve(import.meta.dirname, '..', contractPathOf(r.handler))).href;
      const { contract } = (await import(file)) as { contract: RouteContract };
      const statuses: (number | 'default')[] = successesOf(contract).map((s) => s.status);
      return {
        key: routeKey(r),
        statuses: contract.passThrough ? [...statuses, 'default' as const] : statuses,
      };
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

/** An answer that keeps its contract as a pass-through (the proxy's provider answers). */
const passedThrough = (key: string): undefined => {
  seen(key, 'default');
  return undefined;
};
/** An answer that keeps its contract as a declared body of its own at an error status. */
const seenRaw = (key: string, status: number): undefined => {
  seen(key, status, 'raw');
  return undefined;
};

export type Answer = { method: string; url: string; status: number; headers: Headers; body: unknown };

/** The declared raw body the answer is, or what is wrong with it. */
const rawProblem = (raw: Raw, a: Answer): string | undefined => {
  const type = a.headers.get('content-type') ?? '';
  const declared = contentTypesOf(raw);
  if (!declared.some((t) => type.startsWith(t)))
    return `content-type ${type}, declared ${declared.join(' or ')}`;
  const problem = issuesOf(raw.schema, a.body);
  return problem ? `body does not match its declared schema: ${problem}` : undefined;
};

/** What is wrong with the answer, or undefined when it keeps the contract. */
export const contractProblem = async (a: Answer): Promise<string | undefined> => {
  // The path as sent: new URL() would resolve `..` and `\\` (the proxy's refused paths).
  const pathname = a.url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/s, '') || '/';
  if (pathname.startsWith('/webhooks/')) return undefined; // the function URL: no route of the table
  // A CORS preflight: answered from the route table by its own function, no operation of the document.
  if (a.method === 'OPTIONS' && matchPreflight(pathname))
    return a.status === 204 ? undefined : `preflight ${a.status}`;
  const match = matchRoute(a.method, pathname);
  if (!match) return undefined;
  const body = a.body as { status?: unknown; message?: unknown } | undefined;
  // API Gateway's own answer to a body over its limit never reaches a handler.
  if (a.status === 413 && body?.status === undefined && body?.message !== undefined) return undefined;
  const key = routeKey(match.route);
  const l = (await routesByKey()).get(key);
  if (!l) return `${key} has no contract`;
  const c = l.contract;
  const requestId = a.headers.get('x-request-id') ?? '';
  if (!requestId.startsWith('req_')) return `no X-Request-Id (got '${requestId}')`;
  // An ANY row answers the methods it is published under; the others only with its errors.
  const published = match.route.path === '$default' || methodsOf(l).includes(a.method as Method);

  if (a.status < 400) {
    const declared = successesOf(c);
    const s = published ? declared.find((d) => d.status === a.status) : undefined;
    if (!s) {
      // The proxy: the provider's own answer, passed through.
      if (c.passThrough && published) return passedThrough(key);
      return `answered ${a.status} to ${a.method}; ${key} declares ${declared.map((d) => d.status).join(', ') || 'none'}${published ? '' : ` (and ${a.method} is none of its methods)`}`;
    }
    seen(key, a.status);
    if (!a.headers.get('x-api-version')) return 'no X-Api-Version on a success';
    if (l.route.auth !== 'none' && !a.headers.get('x-ratelimit-remaining'))
      return 'no X-RateLimit-* on an authenticated success';
    if ('redirect' in s) return a.headers.get('location') ? undefined : 'a redirect without Location';
    if ('empty' in s) return a.body === '' ? undefined : 'a body where none is declared';
    if ('raw' in s) return rawProblem(s.raw, a);
    if (body?.status !== 'success') return `a ${a.status} without the success envelope`;
    const problem = issuesOf(s.data, (a.body as { data?: unknown }).data);
    return problem ? `data does not match its declared schema: ${problem}` : undefined;
  }

  const pairs = errorPairsOf(l);
  const codeProblem = (code: string | undefined): string | undefined => {
    if (code === undefined) return undefined;
    seen(key, a.status, code);
    if (!(code in errorStatus)) return `error code '${code}' is not in the error table`;
    if (!pairs.some((p) => p.code === code)) {
      return `${code} is not among the errors ${key} declares (${l.errors.join(', ')}): add it to its contract's errors`;
    }
    if (!pairs.some((p) => p.code === code && p.status === a.status)) {
      const at = pairs.filter((p) => p.code === code).map((p) => p.status);
      return `${code} answered with ${a.status}, not ${at.join(' or ')}`;
    }
    return undefined;
  };
  const raws = (c.rawErrors ?? []).filter((r) => r.status === a.status);
  // HEAD: HTTP sends no body, so only the status can keep the contract.
  if (a.method === 'HEAD' && a.body === '') {
    if (raws.length || pairs.some((p) => p.status === a.status)) return undefined;
    return `HEAD answered ${a.status}, which ${key} declares for no error`;
  }

  // MCP: errors are JSON-RPC, the code (when the error has one) under error.data.code.
  if (c.errorFormat) {
    const problem = rawProblem(c.errorFormat.raw, a);
    if (problem) return `a ${a.status} outside its error format: ${problem}`;
    const code = c.errorFormat.codeOf(a.body);
    if (code !== undefined) return codeProblem(code);
    if (raws.some((r) => !rawProblem(r.raw, a))) return seenRaw(key, a.status);
    return `a ${a.status} without an error code, and ${key} declares no such answer`;
  }

  const envelope = issuesOf(errorEnvelope, a.body);
  if (!envelope) return codeProblem((a.body as { error: { code: ErrorCode } }).error.code);
  // A page, a script's 404: a body of the route's own.
  if (raws.length) {
    const problems = raws.map((r) => rawProblem(r.raw, a));
    if (problems.some((p) => p === undefined)) return seenRaw(key, a.status);
    return `a ${a.status} that is neither the error envelope (${envelope}) nor its declared body: ${problems.join('; ')}`;
  }
  if (c.passThrough && published) return passedThrough(key);
  return `a ${a.status} outside the error envelope: ${envelope}`;
};

/** What is wrong with an outbound webhook delivery's body, against the document's `webhooks`. */
export const eventProblem = (event: unknown): string | undefined => {
  const type = (event as { type?: string } | null)?.type ?? '';
  const schema = (eventPayloads as Record<string, z.ZodMiniType>)[type];
  if (!schema) return `event type '${type}' is not among the document's webhooks`;
  const problem = issuesOf(schema, event);
  return problem ? `${type} does not match its declared schema: ${problem}` : undefined;
};
