import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventProblem } from '../contract';
import type { Json } from './harness';

/**
 * A sync run event's `data` as the sync engine emits it (docs/openapi.json `webhooks`), for
 * tests that queue deliveries by hand: what subscribers receive keeps the contract.
 */
export const runEventData = (status: 'success' | 'error', over: Record<string, unknown> = {}) => ({
  run_id: 'run_01fixture',
  connection_id: 'conn_x',
  sync: 'issues',
  trigger: 'manual',
  mode: 'incremental',
  status,
  started_at: '2026-11-01T09:30:00.000Z',
  finished_at: '2026-11-01T09:30:05.000Z',
  duration_ms: 5000,
  records: { added: 0, updated: 0, deleted: 0 },
  pages: 1,
  error: status === 'error' ? 'provider down' : null,
  ...over,
});

/** A request the subscriber got, and the status it answered. */
export type Received = { path: string; headers: IncomingHttpHeaders; body: string; answered: number };

/** A tenant's webhook endpoint on 127.0.0.1: answers each path from a script (then 200). */
export const startSubscriber = async () => {
  const received: Received[] = [];
  const scripts = new Map<string, number[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const answered = scripts.get(path)?.shift() ?? 200;
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    /** The statuses `path` answers next, in order. */
    script: (path: string, statuses: number[]) => scripts.set(path, [...statuses]),
    /** Events received on `path` (parsed), in arrival order; each held against the document's `webhooks`. */
    events: (path: string) =>
      received
        .filter((r) => r.path === path)
        .map((r) => {
          const event = JSON.parse(r.body) as Json;
          const problem = eventProblem(event);
          if (problem) throw new Error(`contract: webhook delivery to ${path}: ${problem}`);
          return { ...r, event };
        }),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
};
