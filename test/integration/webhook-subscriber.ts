import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from './harness';

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
    /** Events received on `path` (parsed), in arrival order. */
    events: (path: string) =>
      received.filter((r) => r.path === path).map((r) => ({ ...r, event: JSON.parse(r.body) as Json })),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
};
