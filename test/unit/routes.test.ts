import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoute, routeKey, routes } from '../../functions/routes';
import { matchRoute } from '../../local/gateway';

const root = resolve(import.meta.dirname, '../..');

describe('route table', () => {
  it('has one row per route key', () => {
    const keys = routes.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(routes.map((r) => [routeKey(r), r.handler]))('%s → %s exists', (_, handler) => {
    expect(existsSync(resolve(root, handler))).toBe(true);
  });

  it('every /v1 route is authenticated but the connect start and OAuth callback; health is public', () => {
    for (const r of routes) {
      if (r.path.startsWith('/v1') && r.path !== '/v1/oauth/callback' && r.path !== '/v1/connect/start')
        expect(r.auth, r.path).not.toBe('none');
      if (r.path.startsWith('/health')) expect(r.auth).toBe('none');
    }
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
});
