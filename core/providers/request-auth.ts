import type { Credentials, ProviderManifest } from '../../adapters/types';

/**
 * The headers that carry a connection's credentials on a raw request (the proxy), from the
 * provider's declared templates (`manifest.proxy.headers`, adapters/types.ts ProxySettings).
 * Undefined when the provider declares no way for this credential type.
 */
export const requestAuthHeaders = (
  manifest: Pick<ProviderManifest, 'proxy'>,
  credentials: Credentials,
): Record<string, string> | undefined => {
  // Installation tokens reach us as OAuth bearer credentials (core/connections/tokens.ts).
  const kind = credentials.type === 'app_install' ? 'oauth2' : credentials.type;
  const templates = manifest.proxy.headers[kind];
  if (!templates) return undefined;
  const values: Record<string, string | undefined> =
    credentials.type === 'oauth2'
      ? { access_token: credentials.access_token }
      : credentials.type === 'api_key'
        ? { api_key: credentials.api_key, app_key: credentials.app_key }
        : credentials.type === 'basic'
          ? {
              username: credentials.username,
              password: credentials.password,
              basic: Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64'),
            }
          : {};
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(templates)) {
    let complete = true;
    const value = template.replace(/\{(\w+)\}/g, (_, key: string) => {
      const v = values[key];
      if (v === undefined || v === '') complete = false;
      return v ?? '';
    });
    if (complete) headers[name.toLowerCase()] = value;
  }
  return headers;
};
