import type { BucketName, QueueName, TableName } from '../core/platform/resources';

/**
 * THE route table. CDK makes one Lambda and one API Gateway route per row; the local
 * gateway serves the same rows; the auth middleware finds a request's row by its
 * route key. Nothing else lists routes.
 */
export type AuthKind =
  | 'none' // public: health probes, the connect start and OAuth callback, the connect page, the OpenAPI document
  | 'secret_key' // tenant secret keys only
  | 'end_user'; // secret keys, or an end-user token on the end-user routes

/** What a route's Lambda may touch — CDK turns this into its least-privilege grants. */
export type Access = {
  tables?: Partial<Record<TableName, 'read' | 'write'>>;
  queues?: Partial<Record<QueueName, 'send' | 'describe'>>;
  secrets?: { dataKey?: 'read' | 'describe'; integrationSecrets?: 'read' | 'write' };
  /** DescribeTable on every table (readiness probe). */
  describeTables?: boolean;
  /** Objects under the bucket's prefix: `read` GetObject, `write` PutObject (presigned uploads too). */
  buckets?: Partial<Record<BucketName, 'read' | 'write'>>;
};

export type Route = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  /** API Gateway v2 path with `{param}` segments, or `$default` for the catch-all. */
  path: string;
  /** Module (from the repository root) exporting `handler`. */
  handler: string;
  auth: AuthKind;
  access: Access;
  /**
   * A folder (from the repository root) the handler reads at run time, copied beside its
   * bundle as `assets/` — the connect page's script and stylesheet.
   */
  assets?: string;
};

// Every authenticated route reads the key lookup, counts its rate limit in the dedupe
// table, and reads the data key (cursor signing, credential encryption).
const authed = (more: Access = {}): Access => ({
  ...more,
  tables: { state: 'read', dedupe: 'write', ...more.tables },
  secrets: { dataKey: 'read', ...more.secrets },
});
const stateWrite: Access = { tables: { state: 'write' } };
// Routes that call providers for tools or the proxy: token refreshes write connections, and
// each call is recorded in the audit trail.
const runsTools: Access = { tables: { state: 'write', audit: 'write' } };
const withRecords: Access = { tables: { state: 'write', records: 'write' } };
// Routes that emit outbound webhook events (core/outbound/emit.ts) queue their deliveries.
const emits: Access = { queues: { outbound: 'send' } };

const CONNECT_ASSETS = 'functions/connect-page/assets';

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
    access: authed(),
  },
  {
    method: 'GET',
    path: '/v1/providers/{provider}',
    handler: 'functions/http/get-provider.ts',
    auth: 'secret_key',
    access: authed(),
  },
  // Integrations: a tenant's provider configuration; secrets in Secrets Manager.
  {
    method: 'POST',
    path: '/v1/integrations',
    handler: 'functions/http/create-integration.ts',
    auth: 'secret_key',
    access: authed({ ...stateWrite, secrets: { integrationSecrets: 'write' } }),
  },
  {
    method: 'GET',
    path: '/v1/integrations',
    handler: 'functions/http/list-integrations.ts',
    auth: 'secret_key',
    access: authed(),
  },
  {
    method: 'GET',
    path: '/v1/integrations/{key}',
    handler: 'functions/http/get-integration.ts',
    auth: 'secret_key',
    access: authed(),
  },
  {
    method: 'PATCH',
    path: '/v1/integrations/{key}',
    handler: 'functions/http/update-integration.ts',
    auth: 'secret_key',
    access: authed({ ...stateWrite, secrets: { integrationSecrets: 'write' } }),
  },
  {
    method: 'DELETE',
    path: '/v1/integrations/{key}',
    handler: 'functions/http/delete-integration.ts',
    auth: 'secret_key',
    access: authed({ ...withRecords, secrets: { integrationSecrets: 'write' } }),
  },
  {
    method: 'GET',
    path: '/v1/integrations/{key}/webhook-events',
    handler: 'functions/http/list-webhook-events.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'read' } }),
  },
  // Connections.
  {
    method: 'POST',
    path: '/v1/connections',
    handler: 'functions/http/create-connection.ts',
    auth: 'secret_key',
    // A new connection emits `connection.created` to the tenant's webhook subscriptions.
    access: authed({ ...stateWrite, ...emits, secrets: { integrationSecrets: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/connections',
    handler: 'functions/http/list-connections.ts',
    auth: 'end_user',
    access: authed(),
  },
  {
    method: 'GET',
    path: '/v1/connections/{id}',
    handler: 'functions/http/get-connection.ts',
    auth: 'end_user',
    // A re-authorisation whose session ended is put back on read (connection.status_changed).
    access: authed({ tables: { state: 'write', runs: 'read' }, ...emits }),
  },
  {
    method: 'PATCH',
    path: '/v1/connections/{id}',
    handler: 'functions/http/update-connection.ts',
    auth: 'secret_key',
    access: authed({ ...stateWrite, ...emits }),
  },
  {
    method: 'DELETE',
    path: '/v1/connections/{id}',
    handler: 'functions/http/delete-connection.ts',
    auth: 'end_user',
    // Revokes at the provider (the integration's OAuth client) and emits connection.deleted.
    access: authed({ ...withRecords, ...emits, secrets: { integrationSecrets: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/connections/{id}/token',
    handler: 'functions/http/get-token.ts',
    auth: 'secret_key',
    // A refused refresh marks the connection expired and emits `connection.expired`.
    access: authed({ ...stateWrite, ...emits, secrets: { integrationSecrets: 'read' } }),
  },
  // OAuth2 and app-install connect flows, and end-user tokens.
  {
    method: 'POST',
    path: '/v1/connect/sessions',
    handler: 'functions/http/create-connect-session.ts',
    auth: 'end_user',
    // Re-authorising a connection that is not active marks it pending_auth (and says so).
    access: authed({ ...stateWrite, ...emits }),
  },
  {
    // The session's auth_url: binds the flow to the browser (a cookie), then to the provider.
    method: 'GET',
    path: '/v1/connect/start',
    handler: 'functions/http/connect-start.ts',
    auth: 'none',
    access: { tables: { dedupe: 'write' } },
  },
  {
    method: 'GET',
    path: '/v1/oauth/callback',
    handler: 'functions/http/oauth-callback.ts',
    auth: 'none',
    access: {
      tables: { state: 'write', dedupe: 'write' },
      ...emits,
      secrets: { dataKey: 'read', integrationSecrets: 'read' },
    },
  },
  // The hosted connect page (public, authorised by the session id): HTML, its same-origin
  // script and stylesheet (a strict CSP allows nothing else), and the embeddable /connect.js.
  {
    method: 'GET',
    path: '/connect/{session_id}',
    handler: 'functions/http/connect-page.ts',
    auth: 'none',
    assets: CONNECT_ASSETS,
    access: { tables: { dedupe: 'read' } },
  },
  {
    // The form without its script: a plain HTML form post, answered as a page.
    method: 'POST',
    path: '/connect/{session_id}',
    handler: 'functions/http/connect-page-submit.ts',
    auth: 'none',
    assets: CONNECT_ASSETS,
    access: {
      tables: { state: 'write', dedupe: 'write' },
      ...emits,
      secrets: { dataKey: 'read', integrationSecrets: 'read' },
    },
  },
  {
    method: 'GET',
    path: '/connect/{session_id}/done',
    handler: 'functions/http/connect-done.ts',
    auth: 'none',
    assets: CONNECT_ASSETS,
    access: { tables: { dedupe: 'read' } },
  },
  {
    method: 'GET',
    path: '/connect/assets/{file}',
    handler: 'functions/http/connect-asset.ts',
    auth: 'none',
    assets: CONNECT_ASSETS,
    access: {},
  },
  {
    method: 'GET',
    path: '/connect.js',
    handler: 'functions/http/connect-script.ts',
    auth: 'none',
    assets: CONNECT_ASSETS,
    access: {},
  },
  {
    // The connect page's form: single use, ten attempts, verified at the provider first.
    method: 'POST',
    path: '/v1/connect/sessions/{id}/credentials',
    handler: 'functions/http/submit-connect-credentials.ts',
    auth: 'none',
    access: {
      tables: { state: 'write', dedupe: 'write' },
      ...emits,
      secrets: { dataKey: 'read', integrationSecrets: 'read' },
    },
  },
  {
    method: 'POST',
    path: '/v1/end-user-tokens',
    handler: 'functions/http/create-end-user-token.ts',
    auth: 'secret_key',
    access: authed(),
  },
  // Syncs, runs and records.
  {
    method: 'POST',
    path: '/v1/syncs/trigger',
    handler: 'functions/http/trigger-sync.ts',
    auth: 'secret_key',
    access: authed({ tables: { state: 'write', runs: 'write' }, queues: { sync: 'send' } }),
  },
  {
    method: 'GET',
    path: '/v1/connections/{id}/syncs',
    handler: 'functions/http/list-syncs.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'GET',
    path: '/v1/connections/{id}/syncs/{name}',
    handler: 'functions/http/get-sync.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'PATCH',
    path: '/v1/connections/{id}/syncs/{name}',
    handler: 'functions/http/update-sync.ts',
    auth: 'secret_key',
    // Pausing re-derives sync_status (connection.sync_status_changed).
    access: authed({ ...stateWrite, ...emits }),
  },
  {
    method: 'GET',
    path: '/v1/sync-runs',
    handler: 'functions/http/list-sync-runs.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/sync-runs/{id}',
    handler: 'functions/http/get-sync-run.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/records',
    handler: 'functions/http/list-records.ts',
    auth: 'secret_key',
    access: authed({ tables: { records: 'read' } }),
  },
  // CSV imports (API.md "CSV import"): the file lands in the imports bucket — inline bodies
  // put by the handler, larger files PUT by the client to a URL signed with the handler's
  // role — and its S3 event starts the import worker (functions/workers.ts).
  {
    method: 'POST',
    path: '/v1/imports',
    handler: 'functions/http/create-import.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'write' }, buckets: { imports: 'write' } }),
  },
  {
    method: 'GET',
    path: '/v1/imports',
    handler: 'functions/http/list-imports.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/imports/{id}',
    handler: 'functions/http/get-import.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'read' } }),
  },
  // Tools and workspace grants.
  {
    method: 'GET',
    path: '/v1/tools',
    handler: 'functions/http/list-tools.ts',
    auth: 'end_user',
    access: authed(stateWrite),
  },
  {
    method: 'POST',
    path: '/v1/tools/execute',
    handler: 'functions/http/execute-tool.ts',
    auth: 'end_user',
    // Token refreshes write the connection and read the integration's OAuth client secret;
    // a refused one emits `connection.expired`; every call is written to the audit trail.
    access: authed({ ...runsTools, ...emits, secrets: { integrationSecrets: 'read' } }),
  },
  {
    // A workspace's MCP server (Streamable HTTP, stateless): POST; the handler answers 405 to
    // GET (no SSE stream) and DELETE (no session). tools/call runs tools as /v1/tools/execute.
    method: 'ANY',
    path: '/v1/mcp/{workspace_id}',
    handler: 'functions/http/mcp.ts',
    auth: 'end_user',
    access: authed({ ...runsTools, ...emits, secrets: { integrationSecrets: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/tool-calls',
    handler: 'functions/http/list-tool-calls.ts',
    auth: 'secret_key',
    access: authed({ tables: { audit: 'read' } }),
  },
  {
    // The provider's API at `path` with the connection's credentials (one row for the five
    // methods; the handler answers 404 to the others). Refreshes write the connection and read
    // the OAuth client secret; a refused one emits `connection.expired`; writes with an
    // Idempotency-Key use the dedupe table, and each write goes to the audit trail.
    method: 'ANY',
    path: '/v1/proxy/{connection_id}/{path+}',
    handler: 'functions/http/proxy.ts',
    auth: 'end_user',
    access: authed({ ...runsTools, ...emits, secrets: { integrationSecrets: 'read' } }),
  },
  {
    method: 'GET',
    path: '/v1/workspaces/{workspace_id}/integrations',
    handler: 'functions/http/list-workspace-integrations.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'PUT',
    path: '/v1/workspaces/{workspace_id}/integrations/{connection_id}',
    handler: 'functions/http/put-workspace-integration.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'GET',
    path: '/v1/workspaces/{workspace_id}/integrations/{connection_id}',
    handler: 'functions/http/get-workspace-integration.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'DELETE',
    path: '/v1/workspaces/{workspace_id}/integrations/{connection_id}',
    handler: 'functions/http/delete-workspace-integration.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  // Outbound webhooks to the tenant: subscriptions and their delivery attempts.
  {
    method: 'POST',
    path: '/v1/webhook-subscriptions',
    handler: 'functions/http/create-webhook-subscription.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'GET',
    path: '/v1/webhook-subscriptions',
    handler: 'functions/http/list-webhook-subscriptions.ts',
    auth: 'secret_key',
    access: authed(),
  },
  {
    method: 'GET',
    path: '/v1/webhook-subscriptions/{subscription_id}',
    handler: 'functions/http/get-webhook-subscription.ts',
    auth: 'secret_key',
    access: authed(),
  },
  {
    method: 'DELETE',
    path: '/v1/webhook-subscriptions/{subscription_id}',
    handler: 'functions/http/delete-webhook-subscription.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'PATCH',
    path: '/v1/webhook-subscriptions/{subscription_id}',
    handler: 'functions/http/update-webhook-subscription.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'POST',
    path: '/v1/webhook-subscriptions/{subscription_id}/rotate-secret',
    handler: 'functions/http/rotate-webhook-secret.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  {
    method: 'POST',
    path: '/v1/webhook-subscriptions/{subscription_id}/test',
    handler: 'functions/http/test-webhook-subscription.ts',
    auth: 'secret_key',
    access: authed(emits),
  },
  {
    method: 'POST',
    path: '/v1/webhook-subscriptions/{subscription_id}/deliveries/{delivery_id}/retry',
    handler: 'functions/http/retry-webhook-delivery.ts',
    auth: 'secret_key',
    // Takes the kept event of a dead delivery (sync-runs table) and queues it again.
    access: authed({ ...emits, tables: { runs: 'write' } }),
  },
  {
    method: 'GET',
    path: '/v1/webhook-subscriptions/{subscription_id}/deliveries',
    handler: 'functions/http/list-webhook-deliveries.ts',
    auth: 'secret_key',
    access: authed({ tables: { runs: 'read' } }),
  },
  // Settings.
  {
    method: 'GET',
    path: '/v1/settings',
    handler: 'functions/http/get-settings.ts',
    auth: 'secret_key',
    access: authed(),
  },
  {
    method: 'PATCH',
    path: '/v1/settings',
    handler: 'functions/http/update-settings.ts',
    auth: 'secret_key',
    access: authed(stateWrite),
  },
  // The contract as OpenAPI 3.1 (docs/openapi.json, embedded at build time). Public: it holds
  // no secret, and clients and tools read it before they have a key.
  {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'functions/http/get-openapi.ts',
    auth: 'none',
    access: {},
  },
  // Anything unmatched answers 404 `not_found` in the envelope, not API Gateway's own body.
  { method: 'ANY', path: '$default', handler: 'functions/http/not-found.ts', auth: 'none', access: {} },
];

export const routeKey = (r: Pick<Route, 'method' | 'path'>): string =>
  r.path === '$default' ? '$default' : `${r.method} ${r.path}`;

const byKey = new Map(routes.map((r) => [routeKey(r), r]));

export const findRoute = (key: string): Route | undefined => byKey.get(key);

/**
 * CORS preflights. HTTP API's own CORS (`corsPreflight`) is one setting for the whole API and
 * overrides what handlers answer, so it would open every route to every origin; instead each
 * path that has an end-user route gets an `OPTIONS` route of its own, all served by this one
 * small function (no auth, no tables, no business code). Other paths have none: their
 * preflight falls to `$default` (404, no CORS) and the browser stops there.
 */
export const CORS_PREFLIGHT_HANDLER = 'functions/http/cors-preflight.ts';

/** Every path with an end-user route, and the methods a browser may use there. */
export const corsPaths = (): { path: string; methods: Route['method'][] }[] => {
  const byPath = new Map<string, Route['method'][]>();
  for (const r of routes) {
    if (r.auth !== 'end_user') continue;
    byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
  }
  return [...byPath].map(([path, methods]) => ({ path, methods }));
};
