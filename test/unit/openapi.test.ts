import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validate } from '@readme/openapi-parser';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { errorStatus } from '../../core/platform/errors';
import {
  documentPath,
  errorPairsOf,
  loadRoutes,
  methodsOf,
  successesOf,
} from '../../functions/openapi/document';
import { routeKey, routes } from '../../functions/routes';
import { lambdaContext } from '../../local/lambda-context';
import { generated } from '../../scripts/openapi';

/**
 * The OpenAPI document and what is generated with it. The committed files must be what the
 * code generates (docs/openapi.json, docs/api.md, client/schema.d.ts: `npm run openapi`);
 * the document must be valid OpenAPI 3.1; every row of the route table must have a contract.
 * That answers keep their contract is checked on every integration test's answers
 * (test/contract.ts, from test/integration/harness.ts).
 */
const root = resolve(import.meta.dirname, '../..');
type Operation = {
  'x-error-codes': (keyof typeof errorStatus)[];
  responses: Record<string, { description: string }>;
};
const files = await generated();
const doc = JSON.parse(files['docs/openapi.json'] as string);
const loaded = await loadRoutes();

describe('OpenAPI document', () => {
  it.each(Object.keys(files))('%s is what `npm run openapi` generates from the code', (file) => {
    const committed = readFileSync(resolve(root, file), 'utf8');
    // Compared whole: a stale file fails with the diff; `npm run openapi` writes it anew.
    expect(committed, `${file} is stale: run npm run openapi`).toBe(files[file]);
  });

  it('is valid OpenAPI 3.1 (@readme/openapi-parser)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    const r = await validate(structuredClone(doc));
    expect(r.valid ? [] : r.errors, JSON.stringify(r.valid ? r.warnings : r.errors, null, 1)).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it('has every row of the route table, with its auth kind as its security', () => {
    let operations = 0;
    for (const l of loaded) {
      const r = l.route;
      if (r.path === '$default') continue;
      // An ANY row is published under the methods its contract names; {path+} as {path}.
      for (const method of methodsOf(l)) {
        const op = doc.paths[documentPath(r.path)]?.[method.toLowerCase()];
        expect(op, `${method} ${routeKey(r)}`).toBeDefined();
        expect(op['x-auth']).toBe(r.auth);
        const schemes = op.security.flatMap((s: object) => Object.keys(s));
        expect(schemes, routeKey(r)).toEqual(
          { none: [], secret_key: ['secretKey'], end_user: ['secretKey', 'endUserToken'] }[r.auth],
        );
        operations++;
      }
    }
    const documented = Object.values(doc.paths).flatMap((item) => Object.keys(item as object)).length;
    expect(documented).toBe(operations);
    expect(routes.filter((r) => r.path !== '$default').length).toBe(loaded.length - 1);
  });

  it('publishes the proxy under its five methods, its greedy path as one parameter, the provider answer as `default`', () => {
    const item = doc.paths['/v1/proxy/{connection_id}/{path}'];
    expect(Object.keys(item).sort()).toEqual(['delete', 'get', 'patch', 'post', 'put']);
    expect(item.get.parameters.map((p: { name?: string }) => p.name)).toEqual(
      expect.arrayContaining(['connection_id', 'path', 'Idempotency-Key']),
    );
    expect(item.get.responses.default.content['*/*']).toBeDefined();
    expect(item.get.requestBody).toBeUndefined();
    expect(item.post.requestBody.content['*/*']).toBeDefined();
    // Our refusals stay in the envelope; the path that leaves the API base is 400 validation_failed.
    expect(item.get.responses['400'].description).toContain('`validation_failed`');
    expect(item.get.responses['422'].description).toContain('`validation_failed`');
    expect(Object.keys(doc.paths['/v1/mcp/{workspace_id}'])).toEqual(['post']);
    expect(
      doc.paths['/v1/mcp/{workspace_id}'].post.responses['401'].content['application/json'].schema,
    ).toEqual({
      $ref: '#/components/schemas/JsonRpcError',
    });
    expect(Object.keys(doc.paths['/connect/{session_id}'].get.responses['404'].content)).toEqual([
      'text/html',
    ]);
  });

  it('documents each error status with exactly the codes of that status the route answers', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Operation>>)) {
      for (const [method, op] of Object.entries(item)) {
        const codes = op['x-error-codes'];
        const statuses = Object.keys(op.responses)
          .map(Number)
          .filter((s) => s >= 400);
        // Each code at its status (or where its contract says: errorsAt), and the answers
        // outside the envelope a contract declares (pages, JSON-RPC errors).
        const l = loaded.find(
          (x) => documentPath(x.route.path) === path && methodsOf(x).includes(method.toUpperCase() as never),
        );
        if (!l) throw new Error(`${method} ${path}: no route`);
        const pairs = errorPairsOf(l);
        expect([...new Set(pairs.map((p) => p.code))].sort()).toEqual([...new Set(codes)].sort());
        expect(statuses.sort(), `${method} ${path}`).toEqual(
          [
            ...new Set([...pairs.map((p) => p.status), ...(l.contract.rawErrors ?? []).map((r) => r.status)]),
          ].sort(),
        );
        for (const p of pairs) expect(op.responses[p.status]?.description).toContain(`\`${p.code}\``);
        for (const c of codes)
          expect(pairs.some((p) => p.code === c && p.status === errorStatus[c])).toBe(true);
      }
    }
  });

  it('derives the errors of a route from its kind: auth, schemas, path parameters, cursors', () => {
    const op = (path: string, method: string) => doc.paths[path][method]['x-error-codes'];
    // Public, no input: only what the middleware chain itself can answer.
    expect(op('/health', 'get')).toEqual(['unsupported_api_version', 'internal_error']);
    // A secret-key route with a body: JSON, size, schema, auth, the end-user-token refusal, rate limit.
    expect(op('/v1/integrations', 'post')).toEqual(
      expect.arrayContaining([
        'invalid_json',
        'payload_too_large',
        'validation_failed',
        'unauthorized',
        'forbidden',
        'rate_limited',
      ]),
    );
    // A list: its cursor; a path parameter: not_found.
    expect(op('/v1/connections', 'get')).toContain('invalid_cursor');
    expect(op('/v1/connections/{id}', 'get')).toContain('not_found');
    // Provider-calling routes: the provider's refusal and unreachability.
    expect(op('/v1/tools/execute', 'post')).toEqual(
      expect.arrayContaining(['action_failed', 'provider_unreachable', 'rate_limited']),
    );
    const retry = doc.paths['/v1/tools/execute'].post.responses['429'];
    expect(doc.components.responses.Error429.headers['Retry-After']).toBeDefined();
    expect(retry.$ref).toBe('#/components/responses/Error429');
  });

  it('describes the success envelope with the real data shape and the headers every answer carries', () => {
    const get = doc.paths['/v1/connections/{id}'].get.responses['200'];
    expect(get.content['application/json'].schema.properties.data).toEqual({
      $ref: '#/components/schemas/ConnectionDetail',
    });
    expect(Object.keys(get.headers)).toEqual(
      expect.arrayContaining(['X-Request-Id', 'X-Api-Version', 'X-RateLimit-Remaining']),
    );
    expect(doc.components.schemas.ConnectionDetail.required).toEqual(
      expect.arrayContaining(['id', 'status', 'syncs', 'sync_runs']),
    );
    // Request bodies are the zod schemas the handlers validate, as input (defaults optional).
    const trigger = doc.components.schemas.TriggerSyncRequest;
    expect(trigger.required).toEqual(['connection_id']);
    expect(trigger.properties.mode.default).toBe('incremental');
    expect(trigger.additionalProperties).toBe(false);
  });

  it('describes every outbound event under webhooks, with its signature headers', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual(
      [
        'connection.created',
        'connection.deleted',
        'connection.expired',
        'connection.recovered',
        'connection.status_changed',
        'connection.sync_status_changed',
        'import.completed',
        'import.failed',
        'ping',
        'provider.event',
        'records.changed',
        'sync.completed',
        'sync.failed',
      ].sort(),
    );
    const post = doc.webhooks['sync.completed'].post;
    expect(post.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['X-Signature', 'webhook-id', 'webhook-timestamp', 'webhook-signature']),
    );
  });

  it('serves itself at GET /v1/openapi.json, public', () => {
    const op = doc.paths['/v1/openapi.json'].get;
    expect(op.security).toEqual([]);
    expect(Object.keys(op.responses['200'].content)).toEqual(['application/json']);
  });

  it('is served (compressed in the bundle) as the committed document, byte for byte as JSON.stringify writes it', async () => {
    const { handler } = await import('../../functions/http/get-openapi');
    const event = {
      version: '2.0',
      routeKey: 'GET /v1/openapi.json',
      rawPath: '/v1/openapi.json',
      rawQueryString: '',
      headers: {},
      requestContext: { http: { method: 'GET', path: '/v1/openapi.json' } },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2;
    const committed = readFileSync(resolve(root, 'docs/openapi.json'), 'utf8');
    for (let i = 0; i < 2; i++) {
      // The first request decompresses, the next one reuses it.
      const r = await handler(event, lambdaContext('unit'));
      expect(r.statusCode).toBe(200);
      expect(r.headers?.['content-type']).toBe('application/json');
      expect(r.headers?.['cache-control']).toBe('public, max-age=300');
      expect(r.isBase64Encoded).toBe(false);
      expect(r.body).toBe(JSON.stringify(JSON.parse(committed)));
    }
  });
});

describe('route contracts', () => {
  it('every row has one: a row without functions/http/responses/<handler> fails loudly, naming the file', async () => {
    const { loadRoute } = await import('../../functions/openapi/document');
    await expect(
      loadRoute({
        method: 'GET',
        path: '/v1/nothing',
        handler: 'functions/http/health.ts',
        auth: 'none',
        access: {},
      }),
    ).resolves.toBeDefined();
    // A new route's handler before its contract: the document can't be generated, and says why.
    await expect(
      loadRoute({
        method: 'GET',
        path: '/v1/new',
        handler: 'test/unit/fixtures/route-without-contract.ts',
        auth: 'secret_key',
        access: {},
      }),
    ).rejects.toThrow(
      'GET /v1/new has no response contract: add functions/http/responses/route-without-contract.ts',
    );
    await expect(
      loadRoute({
        method: 'GET',
        path: '/v1/new',
        handler: 'functions/http/page-query.ts',
        auth: 'none',
        access: {},
      }),
    ).rejects.toThrow('has no schemas: build its handler with endpoint()');
  });

  it('declare success statuses a client can handle: 2xx, or 302/303 for the browser routes', () => {
    for (const l of loaded) {
      for (const s of successesOf(l.contract)) {
        expect(s.status === 302 || s.status === 303 || (s.status >= 200 && s.status < 300), l.key).toBe(true);
      }
    }
  });
});
