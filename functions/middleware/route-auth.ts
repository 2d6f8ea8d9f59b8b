import type { AuthKind } from '../routes';

/**
 * The rows of the route table this function serves, as `[route key, auth kind]` pairs in
 * JSON, written in at bundle time (lib/bundling.ts, esbuild `define`) from functions/routes.ts.
 * Unbundled (the local gateway, tests) it is not defined.
 */
declare const __ROUTE_AUTH__: string | undefined;

let rows: Map<string, AuthKind> | undefined;

/**
 * The auth kind of a request's row, found by the API Gateway route key; undefined for a key
 * that is not this function's. A deployed function carries only its own rows: the whole table
 * (8.5 KB minified, with every other route's grants) was bundled into every API handler just
 * for this lookup. The test on `typeof` is what esbuild folds once the rows are defined, so
 * the branch that imports the table is dropped from the bundle; unbundled, the table is read
 * as it is — one source of truth either way.
 */
export const routeAuth = async (key: string): Promise<AuthKind | undefined> => {
  if (typeof __ROUTE_AUTH__ === 'string') {
    rows ??= new Map(JSON.parse(__ROUTE_AUTH__) as [string, AuthKind][]);
    return rows.get(key);
  }
  return (await import('../routes')).findRoute(key)?.auth;
};
