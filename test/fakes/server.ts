import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sensitive } from '../leak-watch';

/**
 * The plumbing every fake provider shares: a node:http server on 127.0.0.1 (port 0),
 * a log of what it was asked, JSON replies, and a switch that makes it answer its
 * provider's 5xx. Each fake only decides what to answer.
 */

export type RecordedRequest = { method: string; path: string; headers: Record<string, string> };
export type FakeRequest = RecordedRequest & { query: URLSearchParams; body: string };
/** `body`: an object is sent as JSON, a string as is, undefined as no body. */
export type FakeReply = { status: number; headers?: Record<string, string>; body?: unknown };
export type FakeHandler = (req: FakeRequest) => FakeReply;

export type FakeServer = {
  url: string;
  requests: RecordedRequest[];
  setDown(down: boolean): void;
  /** The next n requests are received and never answered. */
  stallNext(n: number): void;
  stop(): Promise<void>;
};

export const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): FakeReply => ({
  status,
  body,
  headers,
});

const send = (res: ServerResponse, r: FakeReply) => {
  const headers: Record<string, string> = { ...r.headers };
  let payload: string | undefined;
  if (typeof r.body === 'string') {
    payload = r.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (r.body !== undefined) {
    payload = JSON.stringify(r.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(r.status, headers);
  res.end(payload);
};

export const startFakeServer = async (handler: FakeHandler, downReply: FakeReply): Promise<FakeServer> => {
  const requests: RecordedRequest[] = [];
  let down = false;
  let stalls = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, headers };
    requests.push(recorded);
    // A provider that never answers: the client's timeout has to end it.
    if (stalls > 0) {
      stalls--;
      return;
    }
    if (down) return send(res, downReply);
    try {
      send(
        res,
        handler({ ...recorded, query: url.searchParams, body: Buffer.concat(chunks).toString('utf8') }),
      );
    } catch (e) {
      // A bug in a fake must not pass for the provider's answer: say so loudly.
      console.error('fake provider handler failed', e);
      send(res, reply(599, { fake_error: String(e) }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setDown: (d) => {
      down = d;
    },
    stallNext: (n) => {
      stalls = n;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
};

/** What every fake resolves to (see test/integration/adapters). */
export type ProviderFake<C> = FakeServer & {
  /** Put this in an integration's `endpoints.api_base_url` to make the adapter call the fake. */
  apiBaseUrl: string;
  valid: C;
  account: { id: string; name: string };
};

/** Random token material of the alphabet providers use: [A-Za-z0-9]. */
export const randomToken = (length: number): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
};

export const randomHex = (length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(Math.random() * 16).toString(16);
  return out;
};

/** Registers a fake's credentials with the run-wide leak check, and returns them. */
export const registerSecrets = <C extends object>(credentials: C): C => {
  for (const [k, v] of Object.entries(credentials)) {
    if (typeof v === 'string' && /api_key|app_key|password|access_token|refresh_token/.test(k)) sensitive(v);
  }
  return credentials;
};
