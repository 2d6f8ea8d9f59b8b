import { ProviderError } from '../../adapters/errors';
import type { PlainManifest } from '../../adapters/types';
import { allowLoopback, checkHost, isIpLiteral, isRefusedAddress } from '../platform/address-guard';
import { ApiError } from '../platform/errors';
import { isAcceptableUrl, isLoopbackHostname, URL_RULE } from '../platform/urls';

/**
 * Where a tenant may send us for a provider (SSRF, and credentials sent astray).
 *
 * - An integration's endpoint overrides (`endpoints.authorization_url`, `token_url`,
 *   `api_base_url`) carry the OAuth client secret, every connection's refresh token and
 *   access tokens: they must be on the provider's own domains (its manifest's `hosts`) or
 *   on a host the operator allow-lists at deploy time (ALLOWED_PROVIDER_HOSTS). Checked
 *   when an integration is created or changed, and again before every token or API
 *   request, so an integration stored before the rule sends nothing elsewhere.
 * - A connection's config may name a host (GitLab self-managed `host`, Jira `site`, Datadog
 *   `site`): https with a host name (no IP literal, no credentials), and a name off the
 *   provider's domains must resolve to public addresses when the connection is created or
 *   changed. Only the connection's own credentials go there.
 *
 * Every request also passes the address guard when it connects (core/platform/provider-http.ts):
 * an allow-listed or provider host that resolves into our network is refused all the same.
 * Where ALLOW_HTTP_LOOPBACK=true (the local stack, the tests), loopback counts as allow-listed,
 * so the fake providers keep working.
 */
export const ENDPOINT_FIELDS = ['api_base_url', 'authorization_url', 'token_url'] as const;
export type EndpointField = (typeof ENDPOINT_FIELDS)[number];

// A DNS name (letters, digits, hyphens; labels of at most 63), optionally `*.` before it.
const HOST_ENTRY =
  /^(\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** `ghe.acme.com, *.acme.internal` → entries; a malformed one fails loudly (a misconfigured deployment). */
export const parseHostList = (raw: string): string[] => {
  const entries = raw
    .split(/[\s,]+/)
    .map((e) => e.toLowerCase().replace(/\.$/, ''))
    .filter(Boolean);
  for (const e of entries) {
    if (!HOST_ENTRY.test(e)) throw new Error(`ALLOWED_PROVIDER_HOSTS: '${e}' is not a host name or *.domain`);
  }
  return entries;
};

let cached: { raw: string; hosts: string[] } | undefined;
/** The operator's allow-list, ALLOWED_PROVIDER_HOSTS (read where needed: tests change it). */
export const operatorAllowedHosts = (): string[] => {
  const raw = process.env.ALLOWED_PROVIDER_HOSTS ?? '';
  if (cached?.raw !== raw) cached = { raw, hosts: parseHostList(raw) };
  return cached.hosts;
};

/** `host` (a URL's hostname) against `example.com` (exactly) or `*.example.com` (any name under it). */
export const hostMatches = (host: string, pattern: string): boolean => {
  const h = host.toLowerCase().replace(/\.$/, '');
  return pattern.startsWith('*.')
    ? h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1
    : h === pattern;
};

const onList = (list: readonly string[], host: string) => list.some((p) => hostMatches(host, p));

/** The provider's own domains, or the operator's, or loopback where the deployment allows it. */
const isTrustedHost = (m: PlainManifest, hostname: string): boolean =>
  onList(m.hosts, hostname) ||
  onList(operatorAllowedHosts(), hostname) ||
  (allowLoopback() && isLoopbackHostname(hostname));

/** Why an endpoint override is refused for this provider, or undefined when it is acceptable. */
export const endpointProblem = (m: PlainManifest, value: string): string | undefined => {
  if (!isAcceptableUrl(value)) return `Must be ${URL_RULE}.`;
  const { hostname } = new URL(value);
  if (allowLoopback() && isLoopbackHostname(hostname)) return undefined;
  if (isIpLiteral(hostname) && isRefusedAddress(hostname)) {
    return 'Must not point at a private, loopback, link-local or reserved address.';
  }
  if (isTrustedHost(m, hostname)) return undefined;
  return `Must be on ${m.displayName}'s own domains (${m.hosts.join(', ')}) or on a host the operator allow-lists.`;
};

/** The issues of an integration's endpoints, as `details.issues` for a 422. */
export const endpointIssues = (
  m: PlainManifest,
  endpoints: { [K in EndpointField]?: string | undefined } | undefined,
): { path: string; message: string }[] =>
  ENDPOINT_FIELDS.flatMap((field) => {
    const value = endpoints?.[field];
    const problem = value === undefined ? undefined : endpointProblem(m, value);
    return problem ? [{ path: `body.endpoints.${field}`, message: problem }] : [];
  });

/**
 * The stored override, checked again before it is used: an integration saved before the
 * rule (or before the operator narrowed the allow-list) sends no token anywhere else.
 */
export const allowedEndpoint = (m: PlainManifest, field: EndpointField, value: string): string => {
  const problem = endpointProblem(m, value);
  if (problem) {
    throw new ProviderError(
      'unreachable',
      `address not allowed: the integration's endpoints.${field}: ${problem}`,
      {
        code: 'endpoint_not_allowed',
      },
    );
  }
  return value;
};

// Config keys that name a host or a URL (GitLab `host`, Jira and Datadog `site`, a future
// `base_url`); any other string that carries a scheme is a URL as well.
const HOST_KEY = /(?:^|_)(?:host|hostname|site|domain|url|uri|endpoint)s?$/i;
type Target = { path: string; value: string; kind: 'url' | 'host' };

const targetsOf = (value: unknown, path: string, hostKey: boolean, out: Target[]): Target[] => {
  if (typeof value === 'string') {
    if (value.includes('://')) out.push({ path, value, kind: 'url' });
    else if (hostKey) out.push({ path, value, kind: 'host' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      targetsOf(v, `${path}.${i}`, hostKey, out);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) targetsOf(v, `${path}.${k}`, HOST_KEY.test(k), out);
  }
  return out;
};

/** A config value's problem on its own (no DNS), and the host name it names. */
const inspect = (t: Target): { problem?: string; hostname?: string } => {
  let url: URL;
  try {
    url = new URL(t.kind === 'url' ? t.value : `https://${t.value}`);
  } catch {
    return {
      problem: t.kind === 'url' ? `Must be ${URL_RULE}.` : 'Must be a host name, e.g. acme.example.com.',
    };
  }
  if (t.kind === 'host' && (url.host !== t.value.toLowerCase() || url.username || url.password)) {
    return { problem: 'Must be a host name, e.g. acme.example.com.' };
  }
  if (t.kind === 'url' && !isAcceptableUrl(t.value)) return { problem: `Must be ${URL_RULE}.` };
  if (allowLoopback() && isLoopbackHostname(url.hostname)) return { hostname: url.hostname };
  if (isIpLiteral(url.hostname)) return { problem: 'Must name a host, not an IP address.' };
  return { hostname: url.hostname };
};

/**
 * Checks the hosts and URLs of a connection's config (already valid for the manifest's
 * schema): their form, then — off the provider's and the operator's domains — that the
 * name resolves to public addresses only. A name that does not resolve passes: the call
 * that needs it fails on its own, and connect time checks again anyway.
 */
export const checkConfigHosts = async (m: PlainManifest, config: Record<string, unknown>): Promise<void> => {
  const issues: { path: string; message: string }[] = [];
  for (const t of targetsOf(config, 'body.config', false, [])) {
    const { problem, hostname } = inspect(t);
    if (problem) issues.push({ path: t.path, message: problem });
    else if (hostname && !isTrustedHost(m, hostname) && (await checkHost(hostname)) === 'refused') {
      issues.push({ path: t.path, message: 'Must resolve to public addresses only.' });
    }
  }
  if (issues.length) {
    throw new ApiError('validation_failed', 'The config does not fit the provider.', { details: { issues } });
  }
};
