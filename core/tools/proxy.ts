import { loadAccount } from '../../adapters/accounts';
import { isProviderError } from '../../adapters/errors';
import type { Account, Credentials } from '../../adapters/types';
import { markRefused } from '../connections/lifecycle';
import { getConnection } from '../connections/read';
import { adapterCredentials, credentialsAfter401, getToken, refreshable } from '../connections/tokens';
import { getIntegration } from '../integrations/read';
import { ApiError } from '../platform/errors';
import { ANSWER_TOO_LARGE, providerHttpRaw } from '../platform/provider-http';
import { apiBaseUrl } from '../providers/context';
import { refusalRemediations } from '../providers/errors';
import { requestAuthHeaders } from '../providers/request-auth';
import type { ConnectionItem } from '../store/connections-repo';
import { type Actor, outcomeOf, outcomeOfStatus, recordToolCall, sha256 } from './audit';
import type { InvocationContext } from './idempotent';

/**
 * The proxy (API.md "Proxy"): a raw request to a connection's provider API, at a path under
 * its API base, with the stored credentials — renewed when they expire and once on a 401 —
 * answering the provider's status, body and an allow-list of its headers.
 *
 * The path is checked on its raw, still-encoded form before anything is looked up: it must
 * stay under the API base whatever a server on the way (API Gateway, the provider's own
 * front end) later decodes or normalises. So no `.` or `..` segment, no empty segment
 * (`//host`), no backslash, no encoded slash, backslash, dot or percent sign, no scheme — and
 * the URL built from it must still have the base's origin and path prefix.
 */

export const PROXY_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type ProxyMethod = (typeof PROXY_METHODS)[number];
export const isProxyMethod = (m: string): m is ProxyMethod =>
  (PROXY_METHODS as readonly string[]).includes(m);
export const isWrite = (m: ProxyMethod): boolean => m !== 'GET';

/**
 * What a Lambda may answer is 6 MB (its invocation payload limit), so is what the proxy
 * reads from the provider; a binary body is sent base64-encoded, which leaves room for about
 * 4.5 MB of it. Either way, larger is 502 with a message that says so.
 */
export const PROXY_MAX_BYTES = 6 * 1024 * 1024;
const LAMBDA_ANSWER_MAX = 6 * 1024 * 1024 - 16 * 1024; // room for the status line and headers

export type ProxyRequest = {
  method: ProxyMethod;
  /** The path after `/v1/proxy/{connection_id}/`, as received (still percent-encoded). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  headers: Record<string, string>;
  body?: Buffer | undefined;
};

export type ProxyAnswer = { status: number; headers: Record<string, string>; body: Buffer };

const badPath = (message: string) =>
  new ApiError('validation_failed', message, {
    status: 400,
    details: { issues: [{ path: 'path', message }] },
    remediation: 'Send the provider path relative to its API base, e.g. /v1/proxy/{connection_id}/user.',
  });

/** Why a raw proxy path could leave the API base, or undefined when it can't. */
export const pathProblem = (raw: string): string | undefined => {
  if (raw === '') return 'The path is empty.';
  if (raw.length > 2048) return 'The path is over 2048 characters.';
  if (raw.includes('\\')) return 'The path may not contain a backslash.';
  // Encoded slash, backslash, dot or percent: a server that decodes once more would see
  // `/`, `\`, `..` or a new escape where we saw none.
  if (/%(2f|5c|2e|25)/i.test(raw)) return 'The path may not contain an encoded /, \\, . or %.';
  if (/%(?![0-9a-f]{2})/i.test(raw)) return 'The path has a malformed percent-escape.';
  // Control characters, raw or encoded (CR/LF would split a request line on some servers).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\x00-\x20\x7f]|%[01][0-9a-f]|%7f/i.test(raw))
    return 'The path may not contain control characters or spaces.';
  const segments = raw.split('/');
  if (segments.some((s) => s === '')) return 'The path may not contain an empty segment (//).';
  if (segments.some((s) => s === '.' || s === '..')) return 'The path may not contain . or .. segments.';
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) return 'The path may not be an absolute URL.';
  return undefined;
};

/**
 * The provider URL for a raw path and query under `base`, or 400 when it would not stay
 * there. `base` is the API base (no query; a trailing slash is ignored).
 */
export const proxyTarget = (base: string, rawPath: string, rawQuery: string): URL => {
  const problem = pathProblem(rawPath);
  if (problem) throw badPath(problem);
  if (/[#\s]/.test(rawQuery)) throw badPath('The query may not contain # or whitespace.');
  const root = new URL(base);
  const prefix = root.pathname.replace(/\/+$/, '');
  const url = new URL(`${root.origin}${prefix}/${rawPath}${rawQuery ? `?${rawQuery}` : ''}`);
  // Belt and braces: the URL parser must have kept the origin and the path exactly (no dot
  // segment resolved, no host taken from the path).
  const expected = new URL(`${root.origin}${prefix}/${rawPath}`).pathname;
  if (url.origin !== root.origin || !url.pathname.startsWith(`${prefix}/`) || url.pathname !== expected) {
    throw badPath('The path would leave the API base.');
  }
  if (url.username || url.password) throw badPath('The path would leave the API base.');
  return url;
};

// Never forwarded from the caller: hop-by-hop headers (RFC 9110 §7.6.1), what the proxy sets
// itself (host, length, encoding), credentials of any provider, our own request headers, and
// what would tell the provider about our network.
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  'content-length',
  'accept-encoding',
  'authorization',
  'cookie',
  'private-token',
  'job-token',
  'dd-api-key',
  'dd-application-key',
  'x-api-key',
  'api-key',
  'x-auth-token',
  'x-api-version',
  'idempotency-key',
  'x-request-id',
  'user-agent',
  'forwarded',
  'via',
  'origin',
  'referer',
  'x-real-ip',
]);
const DROPPED_PREFIXES = ['x-forwarded-', 'x-amzn-', 'x-amz-', 'cf-', 'sec-'];

/** The caller's headers the provider may see (names lowercased). */
export const forwardedHeaders = (
  headers: Record<string, string>,
  providerAuth: readonly string[],
): Record<string, string> => {
  const named = new Set(
    (headers.connection ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (DROPPED.has(name) || named.has(name) || providerAuth.includes(name)) continue;
    if (DROPPED_PREFIXES.some((p) => name.startsWith(p))) continue;
    // What http would refuse to send anyway.
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name) || !/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) continue;
    out[name] = value;
  }
  return out;
};

// The provider's headers a caller gets: the body's type, pagination (Link; GitLab's X-Page
// family), and rate limits (GitHub/GitLab X-RateLimit-*, the IETF RateLimit-*, Retry-After).
const ANSWER_HEADER =
  /^(content-type|content-language|link|retry-after|x-ratelimit-[a-z-]+|ratelimit(-[a-z-]+)?|x-rate-limit-[a-z-]+|x-(next|prev)-page|x-page|x-per-page|x-total|x-total-pages)$/;

export const answerHeaders = (headers: Headers): Record<string, string> => {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (ANSWER_HEADER.test(name)) out[name] = value;
  });
  return out;
};

const tooLarge = () =>
  new ApiError('provider_unreachable', 'The provider answered with a body larger than the proxy can carry.', {
    details: { limit_bytes: PROXY_MAX_BYTES },
    remediation:
      'Ask for less (a smaller page, a narrower query); answers are capped at 6 MB, binary ones at about 4.5 MB once base64-encoded.',
  });

const unreachable = (e: unknown, displayName: string): unknown => {
  if (!isProviderError(e)) return e;
  if (e.code === ANSWER_TOO_LARGE) return tooLarge();
  if (e.kind === 'rejected') {
    // The connection's own settings can't make a URL (a Jira connection without its cloud id).
    return new ApiError('connection_not_ready', `${displayName}: ${e.providerMessage}`, {
      remediation: 'Ask the end user to connect again (POST /v1/connect/sessions).',
    });
  }
  return new ApiError('provider_unreachable', `${displayName} could not be reached: ${e.providerMessage}`, {
    details: { provider: displayName },
    remediation: refusalRemediations[e.code ?? ''] ?? 'Retry later.',
  });
};

/** The API base for raw paths: the adapter's (or the integration's override), placeholders filled. */
const baseFor = (
  adapter: Account,
  c: ConnectionItem,
  integration: Awaited<ReturnType<typeof getIntegration>>,
  credentials: Credentials,
): string => {
  let base = apiBaseUrl(integration, adapter, c.config, credentials);
  // `{cloud_id}` (Jira's gateway) and alike: facts verification stored on the connection.
  base = base.replace(/\{(\w+)\}/g, (_, key: string) => {
    const v = c.provider_metadata?.[key];
    if (!v) {
      throw new ApiError(
        'connection_not_ready',
        `This ${adapter.manifest.displayName} connection has no ${key}.`,
        {
          remediation: 'Ask the end user to connect again (POST /v1/connect/sessions).',
        },
      );
    }
    return encodeURIComponent(v);
  });
  if (adapter.manifest.proxy.base === 'parent') base = base.replace(/\/[^/]*\/?$/, '');
  return base;
};

/** Sends the request with fresh credentials; a 401 renews them once (the shared renewal path). */
const send = async (
  tenantId: string,
  c: ConnectionItem,
  adapter: Account,
  req: ProxyRequest,
): Promise<ProxyAnswer> => {
  const integration = await getIntegration(tenantId, c.integration);
  const name = adapter.manifest.displayName;
  const ownAuth = Object.values(adapter.manifest.proxy.headers).flatMap((h) =>
    Object.keys(h ?? {}).map((n) => n.toLowerCase()),
  );
  const forwarded = forwardedHeaders(req.headers, ownAuth);
  const attempt = async (credentials: Credentials) => {
    const auth = requestAuthHeaders(adapter.manifest, credentials);
    if (!auth) {
      throw new ApiError(
        'validation_failed',
        `The proxy cannot send ${credentials.type} credentials to ${name}.`,
        {
          status: 400,
          details: {
            issues: [{ path: 'connection_id', message: `No raw-request auth for ${credentials.type}.` }],
          },
        },
      );
    }
    let target: URL;
    try {
      target = proxyTarget(baseFor(adapter, c, integration, credentials), req.path, req.query);
    } catch (e) {
      throw unreachable(e, name);
    }
    try {
      const answer = await providerHttpRaw(target.toString(), {
        method: req.method,
        headers: { ...forwarded, ...auth },
        body: req.body,
        maxBytes: PROXY_MAX_BYTES,
      });
      return { status: answer.status, headers: answerHeaders(answer.headers), body: answer.body };
    } catch (e) {
      throw unreachable(e, name);
    }
  };
  const credentials = adapterCredentials(await getToken(tenantId, c.connection_id, false));
  const first = await attempt(credentials);
  // Refused as unauthenticated: the provider did nothing. Renew (or take what another caller
  // renewed meanwhile) and try once more; a second 401 is the provider's answer.
  const last =
    first.status !== 401 || !refreshable(c)
      ? first
      : await attempt(await credentialsAfter401(tenantId, c.connection_id, credentials));
  // Refused as unauthenticated with credentials nothing can renew (or just renewed): the
  // answer goes back as the provider gave it, and the connection becomes `error`.
  if (last.status === 401) await markRefused(c, `${name} answered 401 to a proxied request.`);
  return last;
};

/** The answer as a Lambda can return it: text as text, anything else base64 — and within its 6 MB. */
export const encodeAnswer = (a: ProxyAnswer): { body: string; isBase64Encoded: boolean } => {
  const type = a.headers['content-type'] ?? '';
  const textual =
    /^(text\/|application\/([\w.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded)|application\/graphql)/i.test(
      type,
    );
  let out: { body: string; isBase64Encoded: boolean } | undefined;
  if (textual || a.body.length === 0) {
    try {
      out = { body: new TextDecoder('utf-8', { fatal: true }).decode(a.body), isBase64Encoded: false };
    } catch {
      // Not UTF-8 after all: base64 below.
    }
  }
  out ??= { body: a.body.toString('base64'), isBase64Encoded: true };
  // The Lambda answer is JSON: escaping can grow a text body too.
  if (Buffer.byteLength(JSON.stringify(out.body)) > LAMBDA_ANSWER_MAX) throw tooLarge();
  return out;
};

type Stored = { status: number; headers: Record<string, string>; body?: string; omitted?: boolean };

/** Answers kept for replays: what fits comfortably in a DynamoDB item (400 KB). */
const KEEP_BYTES = 256 * 1024;

// A write with an Idempotency-Key runs at most once per (tenant, key) for 24 h, as tools do
// (core/tools/idempotent.ts), in the same table under its own prefix. The provider's answer is
// kept unless it is a 5xx or 429: those are thrown inside, so the attempt is forgotten and the
// same key may retry it.
class NotKept extends Error {
  constructor(readonly answer: ProxyAnswer) {
    super('not kept');
  }
}

type ProxyOptions = { idempotencyKey?: string | undefined; context?: InvocationContext | undefined };

/**
 * Proxies one request. A write (any method but GET) is recorded in the audit trail as tool
 * `proxy:<METHOD> /<path>`, whatever its outcome, with the SHA-256 of its body as input hash.
 */
export const proxyRequest = async (
  tenantId: string,
  connectionId: string,
  endUserId: string | undefined,
  actor: Actor,
  req: ProxyRequest,
  options: ProxyOptions = {},
): Promise<ProxyAnswer & { replayed?: boolean }> => {
  if (!isWrite(req.method)) return proxied(tenantId, connectionId, endUserId, req, options, {});
  const startedAt = performance.now();
  const seen: { connection?: ConnectionItem } = {};
  let outcome = 'success';
  let providerStatus: number | undefined;
  try {
    const answer = await proxied(tenantId, connectionId, endUserId, req, options, seen);
    providerStatus = answer.status;
    outcome = outcomeOfStatus(answer.status);
    return answer;
  } catch (e) {
    outcome = outcomeOf(e);
    throw e;
  } finally {
    await recordToolCall({
      tenantId,
      tool: `proxy:${req.method} /${req.path}`,
      connectionId: seen.connection?.connection_id,
      endUserId: seen.connection?.end_user_id ?? endUserId,
      actor,
      via: 'proxy',
      outcome,
      providerStatus,
      startedAt,
      inputSha256: sha256(req.body ?? Buffer.alloc(0)),
    });
  }
};

const proxied = async (
  tenantId: string,
  connectionId: string,
  endUserId: string | undefined,
  req: ProxyRequest,
  options: ProxyOptions,
  seen: { connection?: ConnectionItem },
): Promise<ProxyAnswer & { replayed?: boolean }> => {
  // The path first: a bad one is refused before anything is looked up.
  const problem = pathProblem(req.path);
  if (problem) throw badPath(problem);
  const c = await getConnection(tenantId, connectionId, endUserId);
  seen.connection = c;
  const adapter = await loadAccount(c.provider);
  if (!adapter) throw new Error(`unknown provider ${c.provider}`);
  if (!isWrite(req.method) || options.idempotencyKey === undefined) return send(tenantId, c, adapter, req);

  // Loaded only here (core/tools/idempotent.ts says why).
  const { runOnce } = await import('./idempotent');
  const fresh: { answer?: ProxyAnswer } = {};
  let stored: Stored;
  try {
    stored = await runOnce(
      'proxy',
      {
        tenant_id: tenantId,
        idempotency_key: options.idempotencyKey,
        request: {
          connection_id: c.connection_id,
          method: req.method,
          path: req.path,
          query: req.query,
          body_sha256: sha256(req.body ?? Buffer.alloc(0)),
        },
      },
      async (): Promise<Stored> => {
        const answer = await send(tenantId, c, adapter, req);
        if (answer.status >= 500 || answer.status === 429) throw new NotKept(answer);
        // The caller of this run gets the whole answer; a replay gets what was kept.
        fresh.answer = answer;
        const kept: Stored = { status: answer.status, headers: answer.headers };
        return answer.body.length <= KEEP_BYTES
          ? { ...kept, body: answer.body.toString('base64') }
          : { ...kept, omitted: true };
      },
      options.context,
    );
  } catch (e) {
    if (e instanceof NotKept) return e.answer;
    throw e;
  }
  if (fresh.answer) return fresh.answer;
  if (stored.omitted) {
    throw new ApiError(
      'conflict',
      `This Idempotency-Key's request already ran (the provider answered ${stored.status}).`,
      {
        details: { provider_status: stored.status },
        remediation: 'Its answer was too large to keep for replays; read the result at the provider.',
      },
    );
  }
  return {
    status: stored.status,
    headers: stored.headers,
    body: Buffer.from(stored.body ?? '', 'base64'),
    replayed: true,
  };
};
