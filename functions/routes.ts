import type { QueueName, TableName } from '../core/resources';

/**
 * THE route table. CDK makes one Lambda and one API Gateway route per row; the local
 * gateway serves the same rows; the auth middleware finds a request's row by its
 * route key. Nothing else lists routes.
 */
export type AuthKind =
  | 'none' // public: health probes, OAuth callback
  | 'secret_key' // tenant secret keys only
  | 'end_user'; // secret keys, or an end-user token on the end-user routes

/** What a route's Lambda may touch — CDK turns this into its least-privilege grants. */
export type Access = {
  tables?: Partial<Record<TableName, 'read' | 'write'>>;
  queues?: Partial<Record<QueueName, 'send' | 'describe'>>;
  secrets?: { dataKey?: 'read' | 'describe' };
  /** DescribeTable on every table (readiness probe). */
  describeTables?: boolean;
};

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  /** API Gateway v2 path with `{param}` segments, or `$default` for the catch-all. */
  path: string;
  /** Module (from the repository root) exporting `handler`. */
  handler: string;
  auth: AuthKind;
  access: Access;
};

// Every authenticated route reads the key lookup and the data key (cursor signing).
const authed: Access = { tables: { state: 'read' }, secrets: { dataKey: 'read' } };

export const routes: readonly Route[] = [
  { method: 'GET', path: '/health', handler: 'functions/http/health.ts', auth: 'none', access: {} },
  {
    method: 'GET',
    path: '/health/ready',
    handler: 'functions/http/health-ready.ts',
    auth: 'none',
    access: { describeTables: true, queues: { sync: 'describe' }, secrets: { dataKey: 'describe' } },
  },
  {
    method: 'GET',
    path: '/v1/providers',
    handler: 'functions/http/list-providers.ts',
    auth: 'secret_key',
    access: authed,
  },
  {
    method: 'GET',
    path: '/v1/providers/{provider}',
    handler: 'functions/http/get-provider.ts',
    auth: 'secret_key',
    access: authed,
  },
  // Anything unmatched answers 404 `not_found` in the envelope, not API Gateway's own body.
  { method: 'ANY', path: '$default', handler: 'functions/http/not-found.ts', auth: 'none', access: {} },
];

export const routeKey = (r: Pick<Route, 'method' | 'path'>): string =>
  r.path === '$default' ? '$default' : `${r.method} ${r.path}`;

const byKey = new Map(routes.map((r) => [routeKey(r), r]));

export const findRoute = (key: string): Route | undefined => byKey.get(key);
