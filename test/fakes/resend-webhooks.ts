import { createHmac, randomBytes } from 'node:crypto';
import { sensitive } from '../leak-watch';
import { randomToken } from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

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

/** A redelivery is Svix's retry: the same body and svix-id, signed anew. */
export type ResendWebhookControls = WebhookOutboxControls & {
  /** Registers the endpoint; returns its signing secret (`whsec_…`, a new one unless given). */
  registerWebhook(url: string, secret?: string): string;
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

  /** Message `id` to the endpoint, signed as of now. */
  const signed = (body: string, id: string) => {
    if (!target) throw new Error('no webhook endpoint: registerWebhook first');
    const seconds = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Svix-Webhooks/1.62.0',
      'svix-id': id,
      'svix-timestamp': String(seconds),
      'svix-signature': svixSign(target.secret, id, seconds, body),
    };
    return { url: target.url, headers, body };
  };
  const outbox = createWebhookOutbox({
    timeoutMs: TIMEOUT_MS,
    redelivery: (d) => signed(d.body, d.headers['svix-id'] as string),
  });

  return {
    registerWebhook: (url, secret) => {
      target = { url, secret: secret ?? newSigningSecret() };
      return target.secret;
    },
    ...outbox.controls,
    emit: (type, data) => {
      if (!target) return;
      void outbox.send(
        signed(
          JSON.stringify({ type, created_at: new Date().toISOString(), data }),
          `msg_${randomToken(27)}`,
        ),
      );
    },
  };
};
