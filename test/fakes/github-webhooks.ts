import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '../../adapters/types';

/**
 * Outbound webhooks of the fakes: an outbox that POSTs each event to its URL, one at a time in
 * the order the data changed (so a test reads them in that order), keeps what it sent with the
 * status the receiver answered, and sends one again as the provider redelivers it. Used by the
 * GitHub, Jira and GitLab fakes; each decides its payloads and headers.
 */

export type WebhookDelivery = {
  url: string;
  /** The provider's event name (GitHub `issues`, Jira `jira:issue_updated`, GitLab `Issue Hook`). */
  event: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's status; undefined until it answered, 0 when it could not be reached in time. */
  status: number | undefined;
  /** The receiver's response body. */
  response?: string;
  /** 0 for the first delivery, n for the n-th redelivery of the same event. */
  attempt: number;
};

export type WebhookOutbox = {
  send(delivery: Omit<WebhookDelivery, 'status' | 'attempt'>): void;
  /** What was sent so far, redeliveries included, oldest first. */
  deliveries(): WebhookDelivery[];
  /** Sends delivery `index` again, its headers changed by `retryHeaders`; resolves once answered. */
  redeliver(
    index: number,
    retryHeaders?: (d: WebhookDelivery, attempt: number) => Record<string, string>,
  ): Promise<WebhookDelivery>;
  /** Resolves once every delivery queued so far (and any queued meanwhile) was answered. */
  settled(): Promise<void>;
};

/** `timeoutMs`: how long the provider waits for an answer (GitHub and GitLab 10 s). */
export const createWebhookOutbox = (timeoutMs = 10_000): WebhookOutbox => {
  const sent: WebhookDelivery[] = [];
  let queue: Promise<void> = Promise.resolve();
  const post = (d: WebhookDelivery): Promise<void> => {
    queue = queue.then(async () => {
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: d.headers,
          body: d.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        d.response = await res.text();
        d.status = res.status;
      } catch {
        d.status = 0;
      }
    });
    return queue;
  };
  const settled = async () => {
    let seen: Promise<void>;
    do {
      seen = queue;
      await seen;
    } while (seen !== queue);
  };
  return {
    send: (d) => {
      const delivery: WebhookDelivery = { ...d, status: undefined, attempt: 0 };
      sent.push(delivery);
      void post(delivery);
    },
    deliveries: () => [...sent],
    redeliver: async (index, retryHeaders) => {
      const first = sent[index];
      if (!first) throw new Error(`no webhook delivery ${index}`);
      const attempt = sent.filter((d) => d.body === first.body && d.url === first.url).length;
      const again: WebhookDelivery = {
        url: first.url,
        event: first.event,
        body: first.body,
        headers: { ...first.headers, ...retryHeaders?.(first, attempt) },
        status: undefined,
        attempt,
      };
      sent.push(again);
      await post(again);
      return again;
    },
    settled,
  };
};

/** A request the receiver got, as the service's receiver hands it to `verify`, and its answer. */
export type ReceivedWebhook = WebhookRequest & { status: number };

/**
 * The other end, for tests: an endpoint that takes each POST as the service's webhook
 * receiver does (headers lower-cased, the raw body), answers the status `answer` gives, and
 * keeps what it got.
 */
export const startWebhookReceiver = async (answer: (req: WebhookRequest) => number) => {
  const received: ReceivedWebhook[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    const request: WebhookRequest = {
      method: req.method ?? 'POST',
      headers,
      query: Object.fromEntries(url.searchParams),
      rawBody: Buffer.concat(chunks).toString('utf8'),
    };
    const status = answer(request);
    received.push({ ...request, status });
    res.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Where a GitHub webhook is configured, and so which events it gets and how they are marked. */
export type GitHubHookTarget =
  /** Every repository the fake holds, each as its own repository hook would send. */
  | { type: 'all' }
  | { type: 'app' }
  | { type: 'organization'; login: string }
  | { type: 'repository'; fullName: string };

export type GitHubHook = {
  id: number;
  url: string;
  secret: string;
  target: GitHubHookTarget;
  /** Event names, or `*` for all. */
  events: string[];
};

/**
 * A GitHub delivery's headers: the event, a delivery GUID (kept on redelivery), the hook and
 * where it is installed, and the body's HMAC as `sha256=` (and the legacy `sha1=`).
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
 */
export const gitHubDeliveryHeaders = (
  hook: GitHubHook,
  event: string,
  body: string,
  targetId: number | string,
): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': 'GitHub-Hookshot/7c8b4e2',
  'x-github-event': event,
  'x-github-delivery': randomUUID(),
  'x-github-hook-id': String(hook.id),
  'x-github-hook-installation-target-type':
    hook.target.type === 'app' ? 'integration' : hook.target.type === 'all' ? 'repository' : hook.target.type,
  'x-github-hook-installation-target-id': String(targetId),
  'x-hub-signature': `sha1=${createHmac('sha1', hook.secret).update(body).digest('hex')}`,
  'x-hub-signature-256': `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`,
});
