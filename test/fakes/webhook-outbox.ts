import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookRequest } from '../../adapters/types';

/**
 * Outbound webhooks of the fakes: an outbox that POSTs each delivery to its URL, one at a time
 * in the order the data changed (so a test reads them in that order), keeps what it sent with
 * the status and body the receiver answered, and sends one again as the provider redelivers
 * it. Every provider fake with webhooks uses it; each decides its payloads, headers and how a
 * redelivery differs from the first (the same request, retry headers, or stamped and signed
 * anew).
 */

/** One POST as the provider makes it. */
export type WebhookRequestOut = {
  url: string;
  /** The provider's event name where it has one (GitHub `issues`, Jira `jira:issue_updated`). */
  event?: string;
  headers: Record<string, string>;
  body: string;
};

export type WebhookDelivery = WebhookRequestOut & {
  /** The receiver's status; undefined until it answered, 0 when it could not be reached in time. */
  status: number | undefined;
  /** The receiver's response body. */
  response?: string;
  /** 0 for the first delivery, n for the n-th redelivery of the same event. */
  attempt: number;
};

/** What a fake with webhooks offers a test. */
export type WebhookOutboxControls = {
  /** What was sent so far, redeliveries included, oldest first. */
  deliveries(): WebhookDelivery[];
  /** Sends delivery `index` again as the provider redelivers it; resolves once answered. */
  redeliver(index: number): Promise<WebhookDelivery>;
  /** Resolves once every delivery queued so far (and any queued meanwhile) was answered. */
  webhooksSettled(): Promise<void>;
};

export type WebhookOutbox = {
  /** Queues a delivery; resolves once answered. `timeoutMs` overrides the outbox's for this one. */
  send(request: WebhookRequestOut, timeoutMs?: number): Promise<WebhookDelivery>;
  /** For the fake to hand on as they are. */
  controls: WebhookOutboxControls;
};

export const createWebhookOutbox = (
  o: {
    /** How long the provider waits for an answer (GitHub and GitLab 10 s). */
    timeoutMs?: number;
    /** The request a redelivery makes of the delivery it repeats; default: the same request. */
    redelivery?: (d: WebhookDelivery, attempt: number) => WebhookRequestOut;
  } = {},
): WebhookOutbox => {
  const timeoutMs = o.timeoutMs ?? 10_000;
  const sent: WebhookDelivery[] = [];
  /** The first delivery of each: redeliveries of one event count their attempts from it. */
  const origin = new Map<WebhookDelivery, WebhookDelivery>();
  let queue: Promise<void> = Promise.resolve();
  const post = (r: WebhookRequestOut, attempt: number, timeout = timeoutMs): WebhookDelivery => {
    const d: WebhookDelivery = {
      url: r.url,
      ...(r.event !== undefined ? { event: r.event } : {}),
      headers: r.headers,
      body: r.body,
      status: undefined,
      attempt,
    };
    sent.push(d);
    queue = queue.then(async () => {
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: d.headers,
          body: d.body,
          signal: AbortSignal.timeout(timeout),
        });
        d.response = await res.text();
        d.status = res.status;
      } catch {
        d.status = 0;
      }
    });
    return d;
  };
  const answered = async (d: WebhookDelivery) => {
    await queue;
    return d;
  };
  return {
    send: (r, timeout) => {
      const d = post(r, 0, timeout);
      origin.set(d, d);
      return answered(d);
    },
    controls: {
      deliveries: () => [...sent],
      redeliver: async (index) => {
        const again = sent[index];
        const first = again && origin.get(again);
        if (!again || !first) throw new Error(`no webhook delivery ${index}`);
        const attempt = sent.filter((d) => origin.get(d) === first).length;
        const d = post(o.redelivery?.(again, attempt) ?? again, attempt);
        origin.set(d, first);
        return answered(d);
      },
      webhooksSettled: async () => {
        let seen: Promise<void>;
        do {
          seen = queue;
          await seen;
        } while (seen !== queue);
      },
    },
  };
};

/**
 * A request the receiver got, as the service's receiver hands it to `verify` (the body as
 * text here: every fake sends UTF-8; the service verifies the bytes), and its answer.
 */
export type ReceivedWebhook = WebhookRequest & { rawBody: string; status: number };

/** A receiver's answer: a status, or a status with headers and a body. */
export type ReceiverAnswer = number | { status: number; headers?: Record<string, string>; body?: string };

/**
 * The other end, for tests: an endpoint at `path` that takes each POST as the service's
 * webhook receiver does (headers lower-cased, the raw body, the query decoded), answers what
 * `answer` gives, and keeps what it got.
 */
export const startWebhookReceiver = async (
  answer: (req: WebhookRequest) => ReceiverAnswer,
  path = '/webhooks',
) => {
  const received: ReceivedWebhook[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
    );
    const url = new URL(req.url ?? '/', 'http://receiver.invalid');
    const request: WebhookRequest & { rawBody: string } = {
      method: req.method ?? 'POST',
      headers,
      query: Object.fromEntries(url.searchParams),
      rawBody: Buffer.concat(chunks).toString('utf8'),
    };
    const a = answer(request);
    const { status, headers: out, body } = typeof a === 'number' ? { status: a } : a;
    received.push({ ...request, status });
    res.writeHead(status, out).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
