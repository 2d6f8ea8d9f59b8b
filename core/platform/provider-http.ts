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
// As fetch decodes: truncated streams tolerated, "deflate" with or without its zlib header.
const decoders: Record<string, (b: Buffer) => Promise<Buffer>> = {
  gzip: (b) => gunzip(b, lenient),
  'x-gzip': (b) => gunzip(b, lenient),
  deflate: (b) => (((b[0] ?? 0) & 0x0f) === 0x08 ? inflate(b, lenient) : inflateRaw(b, lenient)),
  br: (b) =>
    brotli(b, {
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
    }),
};

/** The body as sent, decoded in reverse order of the codings applied; unknown ones left as they are. */
const decode = async (body: Buffer, contentEncoding: string | undefined): Promise<Buffer> => {
  if (!contentEncoding || body.length === 0) return body;
  let out = body;
  for (const coding of contentEncoding
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .reverse()) {
    const decoder = decoders[coding];
    if (!decoder) return out;
    out = await decoder(out);
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

export const providerHttp: HttpClient = async (url, request = {}) => {
  const prepared = prepareRequest(request);
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

  const method = prepared.method.toUpperCase();
  const headers: Record<string, string> = {
    'user-agent': 'integrations-service',
    'accept-encoding': 'gzip, deflate, br',
    ...prepared.headers,
  };
  if (prepared.body !== undefined) headers['content-length'] = String(Buffer.byteLength(prepared.body));
  else if (HAS_BODY.has(method)) headers['content-length'] = '0';

  const timeoutMs = request.timeoutMs ?? defaultTimeout();
  const exchange = new Promise<{ status: number; headers: Headers; body: Buffer }>((resolve, reject) => {
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
      res.on('data', (c: Buffer) => chunks.push(c));
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
        if (!res.complete)
          fail(req.destroyed && req.errored instanceof Timeout ? req.errored : new Error('aborted'));
      });
    });
    req.end(prepared.body);
  });

  let answer: { status: number; headers: Headers; body: Buffer };
  let text: string;
  try {
    answer = await exchange;
    text = new TextDecoder().decode(
      await decode(answer.body, answer.headers.get('content-encoding') ?? undefined),
    );
  } catch (e) {
    if (e instanceof AddressNotAllowed) throw addressNotAllowed();
    throw unreachable(e instanceof Timeout);
  }
  const res: HttpResponse = toHttpResponse(answer.status, answer.headers, text);
  return res;
};
