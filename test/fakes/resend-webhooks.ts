import { createHmac, randomBytes } from 'node:crypto';
import { sensitive } from '../leak-watch';
import { randomToken } from './server';

/**
 * The webhook side of the Resend fake: once an endpoint is registered (`registerWebhook`), each
 * email event is POSTed there as Resend sends it through Svix — `{type, created_at, data}`
 * JSON with `svix-id` (`msg_…`), `svix-timestamp` (Unix seconds) and `svix-signature: v1,<base64
 * HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed by the base64-decoded part of the
 * endpoint's `whsec_…` signing secret. Svix waits 15 seconds for a 2xx; a retry repeats the
 * body and `svix-id` with a fresh timestamp and signature (`redeliver`).
 * https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests
 * https://docs.svix.com/receiving/verifying-payloads/how-manual
 */

export type ResendDelivery = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's status; 0 when it could not be reached in time; undefined while in flight. */
  status: number | undefined;
  response?: string;
};

export type ResendWebhookControls = {
  /** Registers the endpoint; returns its signing secret (`whsec_…`, a new one unless given). */
  registerWebhook(url: string, secret?: string): string;
  /** Everything sent so far, in order (retries included). */
  deliveries(): ResendDelivery[];
  /** Sends delivery `i` again as Svix retries it: same body and svix-id, signed anew. */
  redeliver(i: number): Promise<ResendDelivery>;
  /** Resolves once every delivery in flight was answered (or timed out). */
  webhooksSettled(): Promise<void>;
};

const TIMEOUT_MS = 15_000;

/** Svix's signature header for a message, as of `seconds`. */
export const svixSign = (secret: string, id: string, seconds: number, body: string): string => {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${seconds}.${body}`).digest('base64')}`;
};

/** A new signing secret as Resend shows it: `whsec_` and 24 random bytes in base64. */
export const newSigningSecret = (): string => sensitive(`whsec_${randomBytes(24).toString('base64')}`);

export const createResendWebhooks = (): ResendWebhookControls & {
  /** POSTs an event of `type` about `data` when an endpoint is registered. */
  emit(type: string, data: Record<string, unknown>): void;
} => {
  let target: { url: string; secret: string } | undefined;
  const sent: ResendDelivery[] = [];
  // One at a time, in the order of the events: a test reads them in that order.
  let queue: Promise<unknown> = Promise.resolve();

  const post = (body: string, id: string): Promise<ResendDelivery> => {
    if (!target) throw new Error('no webhook endpoint: registerWebhook first');
    const seconds = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Svix-Webhooks/1.62.0',
      'svix-id': id,
      'svix-timestamp': String(seconds),
      'svix-signature': svixSign(target.secret, id, seconds, body),
    };
    const d: ResendDelivery = { url: target.url, headers, body, status: undefined };
    sent.push(d);
    const done = queue
      .then(() =>
        fetch(d.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) }).then(
          async (r) => {
            d.status = r.status;
            d.response = await r.text();
          },
          () => {
            d.status = 0;
          },
        ),
      )
      .then(() => d);
    queue = done;
    return done;
  };

  return {
    registerWebhook: (url, secret) => {
      target = { url, secret: secret ?? newSigningSecret() };
      return target.secret;
    },
    deliveries: () => sent,
    redeliver: (i) => {
      const d = sent[i];
      if (!d) throw new Error(`no delivery ${i}`);
      return post(d.body, d.headers['svix-id'] as string);
    },
    webhooksSettled: async () => {
      let seen: Promise<unknown>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    emit: (type, data) => {
      if (!target) return;
      void post(
        JSON.stringify({ type, created_at: new Date().toISOString(), data }),
        `msg_${randomToken(27)}`,
      );
    },
  };
};
