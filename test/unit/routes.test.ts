import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corsPaths, findRoute, routeKey, routes } from '../../functions/routes';
import { matchPreflight, matchRoute } from '../../local/gateway';

const root = resolve(import.meta.dirname, '../..');

describe('route table', () => {
  it('has one row per route key', () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(routes.map((r) => [routeKey(r), r.handler]))('%s → %s exists', (_, handler) => {
    expect(existsSync(resolve(root, handler))).toBe(true);
  });

  it('every /v1 route is authenticated but the connect start, OAuth callback, connect-page form and OpenAPI document; health is public', () => {
    const publicV1 = [
      '/v1/oauth/callback',
      '/v1/connect/start',
      '/v1/connect/sessions/{id}/credentials',
      '/v1/openapi.json',
    ];
    for (const r of routes) {
      if (r.path.startsWith('/v1') && !publicV1.includes(r.path)) expect(r.auth, r.path).not.toBe('none');
      if (r.path.startsWith('/health')) expect(r.auth).toBe('none');
    }
  });

  it('the OpenAPI document is public and touches nothing: it is embedded in its bundle', () => {
    expect(findRoute('GET /v1/openapi.json')).toMatchObject({ auth: 'none', access: {} });
  });

  it('authenticated routes may read the key lookup table', () => {
    for (const r of routes.filter((x) => x.auth !== 'none')) expect(r.access.tables?.state).toBeDefined();
  });

  it('finds rows by API Gateway route key', () => {
    expect(findRoute('GET /v1/providers/{provider}')?.handler).toBe('functions/http/get-provider.ts');
    expect(findRoute('GET /v1/nothing')).toBeUndefined();
  });

  it('the local gateway matches like API Gateway: literal paths first, then $default', () => {
    expect(matchRoute('GET', '/health/ready')?.route.path).toBe('/health/ready');
    expect(matchRoute('GET', '/v1/providers/github')).toMatchObject({
      route: { path: '/v1/providers/{provider}' },
      pathParameters: { provider: 'github' },
    });
    expect(matchRoute('GET', '/v1/providers/a%20b')?.pathParameters).toEqual({ provider: 'a b' });
    expect(matchRoute('POST', '/v1/providers')?.route.path).toBe('$default');
    expect(matchRoute('GET', '/v1/providers/github/extra')?.route.path).toBe('$default');
  });

  it('the connect page: assets and the embeddable script before the session page', () => {
    expect(matchRoute('GET', '/connect/assets/connect.css')?.route.handler).toBe(
      'functions/http/connect-asset.ts',
    );
    expect(matchRoute('GET', '/connect.js')?.route.handler).toBe('functions/http/connect-script.ts');
    expect(matchRoute('GET', '/connectxjs')?.route.path).toBe('$default');
    expect(matchRoute('GET', '/connect/cs_1')).toMatchObject({
      route: { handler: 'functions/http/connect-page.ts' },
      pathParameters: { session_id: 'cs_1' },
    });
    expect(matchRoute('GET', '/connect/cs_1/done')?.route.handler).toBe('functions/http/connect-done.ts');
  });
});

describe('CORS preflights', () => {
  it('are derived from the end-user routes, and only them', () => {
    const endUser = new Set(routes.filter((r) => r.auth === 'end_user').map((r) => r.path));
    expect(new Set(corsPaths().map((p) => p.path))).toEqual(endUser);
    expect(
      corsPaths()
        .find((p) => p.path === '/v1/connections/{id}')
        ?.methods.sort(),
    ).toEqual(['DELETE', 'GET']);
  });

  it('the local gateway finds the preflight route of an end-user path, and none for other paths', () => {
    expect(matchPreflight('/v1/connections/conn_1')).toBe('OPTIONS /v1/connections/{id}');
    expect(matchPreflight('/v1/connect/sessions')).toBe('OPTIONS /v1/connect/sessions');
    expect(matchPreflight('/v1/integrations')).toBeUndefined();
    expect(matchPreflight('/v1/connections/conn_1/token')).toBeUndefined();
    expect(matchPreflight('/v1/connect/sessions/cs_1/credentials')).toBeUndefined();
  });
});
