import { ProviderError } from './errors';

/**
 * What adapters know of HTTP: the client they are handed (`ctx.http`), and the rules every
 * exchange follows, written once here. The client itself is built in core
 * (core/platform/provider-http.ts), because every request also passes the address guard
 * there, and adapters never import core: an adapter reaches the network only through the
 * client in its context. What the client does for every adapter: a timeout on every call;
 * network failures, timeouts and 5xx turned into `unreachable` and 429 into `rate_limited`
 * (no adapter forgets); never a redirect followed. Other statuses come back to the adapter,
 * which knows what its provider's 401/403/404 bodies mean.
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
export const defaultTimeout = () => Number(process.env.PROVIDER_TIMEOUT_MS) || DEFAULT_TIMEOUT_MS;

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

/** A request as it goes on the wire: names lowercased, `accept` defaulted, the body encoded. */
export type PreparedRequest = { method: string; headers: Record<string, string>; body?: string };

/**
 * Checks and encodes a request before anything is sent. Bodies: a string as is,
 * URLSearchParams as a form (with its content type), anything else as JSON.
 */
export const prepareRequest = (request: HttpRequest = {}): PreparedRequest => {
  const headers: Record<string, string> = { accept: 'application/json', ...lowercaseNames(request.headers) };
  // Header values are nearly always the credentials: never name or echo the value.
  if (!Object.values(headers).every(isHeaderSafe)) {
    throw new ProviderError(
      'rejected',
      'The credentials are not well-formed: they contain whitespace or control characters that cannot be sent to the provider.',
    );
  }
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body instanceof URLSearchParams) {
    body = request.body.toString();
    // What fetch sends for a URLSearchParams body (https://fetch.spec.whatwg.org/#concept-bodyinit-extract).
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  } else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  return { method: request.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) };
};

/** Network failures and timeouts, as adapters see them. */
export const unreachable = (timedOut: boolean): ProviderError =>
  new ProviderError(
    'unreachable',
    timedOut ? 'The provider did not answer in time.' : 'The provider could not be reached.',
  );

/**
 * The answer as adapters get it: 5xx is `unreachable`, 429 `rate_limited` with how long to
 * wait; anything else is the adapter's to read.
 */
export const toHttpResponse = (status: number, headers: Headers, text: string): HttpResponse => {
  if (status >= 500) {
    // Still `unreachable`; the wait is kept for a provider that documents a 503 with
    // Retry-After as throttling (Microsoft Graph) and says so in its own client.
    const retryAfterSeconds = parseRetryAfter(headers);
    throw new ProviderError('unreachable', `The provider answered ${status}.`, {
      status,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers) ?? parseRateLimitReset(headers);
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
    status,
    headers,
    text,
    json: () => {
      // JSON.parse never yields undefined, so undefined means the body is not JSON.
      const value = jsonOrUndefined();
      if (value === undefined) {
        throw new ProviderError('unreachable', 'The provider answered with a body that is not JSON.', {
          status,
        });
      }
      return value;
    },
    jsonOrUndefined,
  };
};
