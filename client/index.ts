import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * A typed client for the Integrations API: openapi-fetch over the types generated from
 * docs/openapi.json (client/schema.d.ts). Every path, parameter, body and answer is checked
 * by TypeScript; answers stay the API's envelope (`data.data`, `error.error.code`).
 *
 *   const api = createIntegrationsClient({ baseUrl: 'http://localhost:3000', key: 'sk_test_…' });
 *   const { data, error } = await api.GET('/v1/connections/{id}', { params: { path: { id } } });
 */
export type IntegrationsClient = Client<paths>;
export type Schemas = components['schemas'];
export type { components, paths };

export type IntegrationsClientOptions = Omit<ClientOptions, 'baseUrl'> & {
  baseUrl: string;
  /** A secret key (`sk_live_…`, `sk_test_…`) or an end-user token (`eut_…`). */
  key: string;
  /** Pins the API version (`X-Api-Version`); absent means the latest the server serves. */
  apiVersion?: components['parameters']['ApiVersion'];
};

export const createIntegrationsClient = ({
  key,
  apiVersion,
  headers,
  ...options
}: IntegrationsClientOptions): IntegrationsClient =>
  createClient<paths>({
    ...options,
    headers: {
      ...(headers as Record<string, string> | undefined),
      authorization: `Bearer ${key}`,
      ...(apiVersion ? { 'x-api-version': apiVersion } : {}),
    },
  });
