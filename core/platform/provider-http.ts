import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ProviderError } from '../../adapters/errors';
import {
  defaultTimeout,
  type HttpClient,
  type HttpResponse,
  prepareRequest,
  toHttpResponse,
  unreachable,
} from '../../adapters/http';
import { AddressNotAllowed, allowLoopback, guardedLookup, isRefusedAddress } from './address-guard';

/**
 * THE client every provider request goes through: core hands it to adapters as `ctx.http`
 * (adapters/http.ts has the rules it follows and the types). What it adds is the address
 * guard: the URL's host must be a public address — an IP literal is checked before
 * anything is sent, a name by the socket's own `lookup`, on the very addresses it then
 * connects to (DNS rebinding can't slip between a check and the connection) — and plain
 * http only where ALLOW_HTTP_LOOPBACK=true (the local stack). A refusal is `unreachable`
 * with the message "address not allowed" and nothing more (which address, or why, would
 * map our network for whoever asked), code `address_not_allowed`.
 *
 * Built on node:http(s) rather than fetch: fetch takes a socket `lookup` only through an
 * undici Agent, and the undici package (the one Node's fetch is built on is not exported)
 * would add ≈ 285 KB to every bundle that calls a provider, about the whole floor handler.
 * So this file does the little fetch did for us: keep-alive pooling, gzip/deflate/br
 * decoding, a timeout over the whole exchange, no redirects (node:http follows none).
 */
export const ADDRESS_NOT_ALLOWED = 'address not allowed';
export const addressNotAllowed = (): ProviderError =>
  new ProviderError('unreachable', ADDRESS_NOT_ALLOWED, { code: 'address_not_allowed' });

// Pooled connections, as fetch's: a sync's pages reuse one socket. Every socket a pool
// opens passed the guard when it connected, and stays pinned to that address.
const agents = {
  'https:': new https.Agent({ keepAlive: true, lookup: guardedLookup }),
  'http:': new http.Agent({ keepAlive: true, lookup: guardedLookup }),
} as const;

class Timeout extends Error {
  override readonly name = 'Timeout';
}

const lenient = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);
type Limit = { maxOutputLength?: number };
// As fetch decodes: truncated streams tolerated, "deflate" with or without its zlib header.
// `maxOutputLength` stops a small compressed answer from inflating past a caller's limit.
const decoders: Record<string, (b: Buffer, limit: Limit) => Promise<Buffer>> = {
  gzip: (b, limit) => gunzip(b, { ...lenient, ...limit }),
  'x-gzip': (b, limit) => gunzip(b, { ...lenient, ...limit }),
  deflate: (b, limit) =>
    ((b[0] ?? 0) & 0x0f) === 0x08
      ? inflate(b, { ...lenient, ...limit })
      : inflateRaw(b, { ...lenient, ...limit }),
  br: (b, limit) =>
    brotli(b, {
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      ...limit,
    }),
};

/** The body as sent, decoded in reverse order of the codings applied; unknown ones left as they are. */
const decode = async (body: Buffer, contentEncoding: string | undefined, limit: Limit): Promise<Buffer> => {
  if (!contentEncoding || body.length === 0) return body;
  let out = body;
  for (const coding of contentEncoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .reverse()) {
    const decoder = decoders[coding];
    if (!decoder) return out;
    out = await decoder(out, limit);
  }
  return out;
};

const headersOf = (raw: string[]): Headers => {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i] as string, raw[i + 1] as string);
    } catch {
      // A header fetch would not hold (a value it refuses): dropped, as no adapter could use it.
    }
  }
  return headers;
};

const HAS_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** An answer past `maxBytes` (as sent, or once decoded). */
class TooLarge extends Error {
  override readonly name = 'TooLarge';
}
export const ANSWER_TOO_LARGE = 'answer_too_large';

type Exchange = {
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer | undefined;
  timeoutMs?: number | undefined;
  maxBytes?: number | undefined;
};
type Answer = { status: number; headers: Headers; body: Buffer };

/**
 * One request through the guard: checks the URL, sends, reads the whole answer (at most
 * `maxBytes`) and decodes it. Throws ProviderError `unreachable` for everything that is
 * not an answer: a refused address, a network failure, the deadline, an answer too large.
 */
const exchange = async (url: string, x: Exchange): Promise<Answer> => {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw unreachable(false);
  }
  if (!(target.protocol === 'https:' || (target.protocol === 'http:' && allowLoopback()))) {
    throw addressNotAllowed();
  }
  // No lookup runs for an IP literal: it is checked here.
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && isRefusedAddress(host)) throw addressNotAllowed();

  const method = x.method.toUpperCase();
  const headers: Record<string, string> = {
    'user-agent': 'integrations-service',
    'accept-encoding': 'gzip, deflate, br',
    ...x.headers,
  };
  if (x.body !== undefined) headers['content-length'] = String(Buffer.byteLength(x.body));
  else if (HAS_BODY.has(method)) headers['content-length'] = '0';

  const timeoutMs = x.timeoutMs ?? defaultTimeout();
  const maxBytes = x.maxBytes;
  const sent = new Promise<Answer>((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = (target.protocol === 'https:' ? https : http).request(target, {
        method,
        headers,
        agent: agents[target.protocol as keyof typeof agents],
        lookup: guardedLookup,
      });
    } catch (e) {
      return reject(e);
    }
    // One deadline for connecting, sending and reading the whole answer, as fetch's signal.
    const timer = setTimeout(() => req.destroy(new Timeout()), timeoutMs);
    const fail = (e: unknown) => {
      clearTimeout(timer);
      reject(e);
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (maxBytes !== undefined && size > maxBytes) {
          // Stop reading: the caller's limit is passed, the rest is not worth the wait.
          req.destroy(new TooLarge());
          return;
        }
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: headersOf(res.rawHeaders),
          body: Buffer.concat(chunks),
        });
      });
      // Cut off before the end (the connection dropped, or the deadline destroyed it).
      res.on('close', () => {
        if (!res.complete) {
          const why = req.errored;
          fail(
            req.destroyed && (why instanceof Timeout || why instanceof TooLarge) ? why : new Error('aborted'),
          );
        }
      });
    });
    req.end(x.body);
  });

  try {
    const answer = await sent;
    const limit = maxBytes !== undefined ? { maxOutputLength: maxBytes + 1 } : {};
    const body = await decode(answer.body, answer.headers.get('content-encoding') ?? undefined, limit);
    if (maxBytes !== undefined && body.length > maxBytes) throw new TooLarge();
    return { ...answer, body };
  } catch (e) {
    if (e instanceof AddressNotAllowed) throw addressNotAllowed();
    if (
      e instanceof TooLarge ||
      (e instanceof RangeError && (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
    ) {
      throw new ProviderError('unreachable', `The provider's answer is larger than ${maxBytes} bytes.`, {
        code: ANSWER_TOO_LARGE,
      });
    }
    throw unreachable(e instanceof Timeout);
  }
};

export const providerHttp: HttpClient = async (url, request = {}) => {
  const prepared = prepareRequest(request);
  const answer = await exchange(url, {
    method: prepared.method,
    headers: prepared.headers,
    body: prepared.body,
    timeoutMs: request.timeoutMs,
  });
  const res: HttpResponse = toHttpResponse(
    answer.status,
    answer.headers,
    new TextDecoder().decode(answer.body),
  );
  return res;
};

/**
 * The same guarded client for a raw exchange (the proxy): the body as bytes both ways, every
 * status answered as it is (no 5xx or 429 turned into errors), the answer read up to
 * `maxBytes`. Headers go as given: the caller has checked them.
 */
export const providerHttpRaw = (
  url: string,
  request: {
    method: string;
    headers: Record<string, string>;
    body?: Buffer | undefined;
    maxBytes: number;
    timeoutMs?: number;
  },
): Promise<Answer> => exchange(url, request);
