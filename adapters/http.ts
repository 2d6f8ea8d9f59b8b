import { ProviderError } from './errors';

/**
 * The one HTTP client adapters use to reach providers: a timeout on every call, and
 * network failures, timeouts and 5xx turned into `unreachable` so no adapter forgets.
 * Other statuses come back to the adapter, which knows what its provider's 401/403/404
 * bodies mean. Built on fetch (undici) — no extra dependency for a thin wrapper.
 */
export type HttpResponse = {
  status: number;
  headers: Headers;
  text: string;
  /** The body as JSON; a body that is not JSON is `unreachable`. */
  json: () => unknown;
  /** The body as JSON, or undefined when it is not (error bodies may be empty or HTML). */
  jsonOrUndefined: () => unknown;
};

export type HttpRequest = {
  method?: string;
  headers?: Record<string, string>;
  /** JSON-encoded when an object; sent as is when a string or URLSearchParams. */
  body?: unknown;
  timeoutMs?: number;
};

export type HttpClient = (url: string, request?: HttpRequest) => Promise<HttpResponse>;

const DEFAULT_TIMEOUT_MS = 10_000;
// Overridable for deployments behind slow proxies, and for tests of the timeout path.
const defaultTimeout = () => Number(process.env.PROVIDER_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;

export const parseRetryAfter = (headers: Headers): number | undefined => {
  const v = headers.get('retry-after');
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs));
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
};

/**
 * Seconds until a rate limit resets, from the reset headers providers send beside (or
 * instead of) Retry-After: `x-ratelimit-reset` (GitHub, GitLab: epoch seconds; Linear's
 * `x-ratelimit-requests-reset`: epoch ms) and `ratelimit-reset` (GitLab; the IETF draft:
 * delta seconds), or an ISO date (Jira). A number's size tells the unit apart.
 */
export const parseRateLimitReset = (headers: Headers, now = Date.now()): number | undefined => {
  for (const name of ['x-ratelimit-reset', 'ratelimit-reset', 'x-ratelimit-requests-reset']) {
    const raw = headers.get(name);
    if (raw === null) continue;
    const v = Number(raw);
    if (!Number.isFinite(v)) {
      const at = Date.parse(raw); // Jira: ISO 8601, `2025-01-01T12:34Z`
      if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
      continue;
    }
    if (v < 0) continue;
    const ms = v > 1e12 ? v - now : v > 1e9 ? v * 1000 - now : v * 1000;
    return Math.max(0, Math.ceil(ms / 1000));
  }
  return undefined;
};

/**
 * What a header value may hold: printable Latin-1, with no C0/C1 control characters (CR, LF,
 * NUL, tab…) and no leading or trailing whitespace. fetch throws a TypeError before sending
 * on the rest (or silently trims whitespace), which would surface as `unreachable`; a token
 * pasted with a newline is a refusal of the credentials instead.
 * https://fetch.spec.whatwg.org/#header-value
 */
const headerValueChars = /^[\x20-\x7e\xa0-\xff]*$/;
const isHeaderSafe = (value: string): boolean => headerValueChars.test(value) && value.trim() === value;

/** Header names lowercased (they are case-insensitive), so an adapter's `Accept` replaces the default. */
const lowercaseNames = (headers: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

export const httpClient: HttpClient = async (url, request = {}) => {
  const headers: Record<string, string> = { accept: 'application/json', ...lowercaseNames(request.headers) };
  // Header values are nearly always the credentials: never name or echo the value.
  if (!Object.values(headers).every(isHeaderSafe)) {
    throw new ProviderError(
      'rejected',
      'The credentials are not well-formed: they contain whitespace or control characters that cannot be sent to the provider.',
    );
  }
  let body: string | URLSearchParams | undefined;
  if (typeof request.body === 'string' || request.body instanceof URLSearchParams) body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: request.method ?? 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      redirect: 'manual', // a redirect could carry credentials to another host
      signal: AbortSignal.timeout(request.timeoutMs ?? defaultTimeout()),
    });
  } catch (e) {
    const timedOut = (e as Error).name === 'TimeoutError';
    throw new ProviderError(
      'unreachable',
      timedOut ? 'The provider did not answer in time.' : 'The provider could not be reached.',
    );
  }
  const text = await res.text();
  if (res.status >= 500) {
    throw new ProviderError('unreachable', `The provider answered ${res.status}.`, { status: res.status });
  }
  if (res.status === 429) {
    const retryAfterSeconds = parseRetryAfter(res.headers) ?? parseRateLimitReset(res.headers);
    throw new ProviderError('rate_limited', 'The provider is rate limiting these credentials.', {
      status: 429,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
  const jsonOrUndefined = (): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: () => {
      // JSON.parse never yields undefined, so undefined means the body is not JSON.
      const value = jsonOrUndefined();
      if (value === undefined) {
        throw new ProviderError('unreachable', 'The provider answered with a body that is not JSON.', {
          status: res.status,
        });
      }
      return value;
    },
    jsonOrUndefined,
  };
};
