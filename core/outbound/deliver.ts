import * as http from 'node:http';
import * as https from 'node:https';
import { decryptFor } from '../keys/credentials-crypto';
import { AddressNotAllowed, guardedLookup } from '../platform/address-guard';
import {
  DELIVERY_RETENTION_SECONDS,
  type DeliveryItem,
  type DeliveryStatus,
  putDeadLetter,
  putDelivery,
} from '../store/webhook-deliveries-repo';
import { getSubscription, type SubscriptionItem } from '../store/webhook-subscriptions-repo';
import type { OutboundMessage } from './events';
import { MAX_DELAY_SECONDS, sendOutboundOne, sendToDeadLetter } from './queue';
import { signatureHeaders } from './signing';
import { subscriberUrlProblem } from './subscriber-url';

/**
 * One delivery attempt of an outbound webhook: POST the event, signed, to the
 * subscription's URL and record the attempt. 2xx is delivered. Anything else — another
 * status, a network error, no answer within 10 s — is retried with exponential backoff
 * (BACKOFF_SECONDS) until 24 h after the first attempt; the attempt made then, if it fails
 * too, is `dead` and the message goes to the outbound DLQ. A destination that resolves to
 * a private address is `failed` at once: retrying would not make it public.
 *
 * Retries are new messages, not redeliveries: SQS delays a message at most 15 minutes, so
 * a longer wait travels as `due_at` and the message is re-sent with the longest delay
 * until then (one cheap hop every 15 minutes, no attempt made, nothing recorded).
 * Deliveries are at least once: a subscriber dedupes by X-Webhook-Id (the event id).
 */
export const BACKOFF_SECONDS = [10, 30, 120, 600, 1800, 3600, 7200, 14_400] as const;
export const RETRY_WINDOW_MS = 24 * 3600_000;
export const TIMEOUT_MS = 10_000;
// A message may arrive a little before its due time; this close counts as due.
const DUE_SLACK_MS = 1_000;

export type DeliveryOutcome =
  | { kind: 'dropped'; reason: string }
  | { kind: 'waiting'; next: OutboundMessage; delaySeconds: number }
  | { kind: 'delivered' | 'failed'; attempt: DeliveryItem }
  | { kind: 'retrying'; attempt: DeliveryItem; next: OutboundMessage; delaySeconds: number }
  | { kind: 'dead'; attempt: DeliveryItem; message: OutboundMessage };

type Answer = { status: number } | { error: string; refused?: boolean };

/** An event larger than this is not kept for a replay (DynamoDB items end at 400 KB). */
const MAX_KEPT_EVENT_BYTES = 350_000;

/** The secrets to sign with now: the current one, and the one it replaced until that expires. */
const signingSecrets = async (sub: SubscriptionItem, now: number): Promise<string[]> => {
  const current = await decryptFor<string>(sub.tenant_id, sub.subscription_id, sub.sealed_secret);
  const previousValid =
    sub.previous_sealed_secret !== undefined &&
    sub.previous_secret_expires_at !== undefined &&
    Date.parse(sub.previous_secret_expires_at) > now;
  if (!previousValid) return [current];
  const previous = await decryptFor<string>(
    sub.tenant_id,
    sub.subscription_id,
    sub.previous_sealed_secret as string,
  );
  return [current, previous];
};

class Timeout extends Error {
  override readonly name = 'Timeout';
}

/** POSTs and waits for the status line only: the answer's body is never read or kept. */
const post = (url: string, body: string, headers: Record<string, string>): Promise<Answer> =>
  new Promise((resolve) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body, 'utf8')) },
        // Every address the name resolves to is checked at connect time (SSRF, DNS rebinding).
        lookup: guardedLookup,
        // A fresh connection each time: no pooled socket outlives the attempt.
        agent: false,
      },
      (res) => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0 });
        res.destroy();
      },
    );
    // Covers connecting, sending and the answer's status line: 10 s in all.
    const timer = setTimeout(() => request.destroy(new Timeout()), TIMEOUT_MS);
    request.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e instanceof AddressNotAllowed)
        resolve({ error: `destination refused: ${e.message}`, refused: true });
      else if (e instanceof Timeout) resolve({ error: `no answer within ${TIMEOUT_MS / 1000} s` });
      // The error's code (ECONNREFUSED, ENOTFOUND, CERT_HAS_EXPIRED, …), never a body.
      else resolve({ error: `network error: ${e.code ?? e.name}` });
    });
    request.end(body);
  });

/**
 * The subscriptions one SQS batch's deliveries read, once a batch. A subscriber at 2,000
 * deliveries/s has its item read strongly consistent per delivery: 0.67 of one item's read
 * limit in the capacity model (docs/scale.md). A subscription deleted, disabled or rotated
 * meanwhile is seen by the next batch (seconds); a rotation keeps the old secret valid
 * for a while anyway (signingSecrets).
 */
export type SubscriptionMemo = Map<string, Promise<SubscriptionItem | undefined>>;

const subscriptionOf = (
  msg: OutboundMessage,
  memo?: SubscriptionMemo,
): Promise<SubscriptionItem | undefined> => {
  if (!memo) return getSubscription(msg.tenant_id, msg.subscription_id);
  const key = JSON.stringify([msg.tenant_id, msg.subscription_id]);
  let found = memo.get(key);
  if (!found) {
    found = getSubscription(msg.tenant_id, msg.subscription_id);
    memo.set(key, found);
    // A failed read fails the deliveries that waited on it (the queue retries them), and is not kept.
    found.catch(() => memo.delete(key));
  }
  return found;
};

/**
 * Makes the attempt `msg` carries, at time `now` (a parameter so tests can walk the whole
 * schedule without waiting), and records it. Sends nothing: `handleDelivery` does.
 */
export const attemptDelivery = async (
  msg: OutboundMessage,
  now = Date.now(),
  memo?: SubscriptionMemo,
): Promise<DeliveryOutcome> => {
  if (msg.due_at) {
    const wait = Date.parse(msg.due_at) - now;
    if (wait > DUE_SLACK_MS) return { kind: 'waiting', next: msg, delaySeconds: Math.ceil(wait / 1000) };
  }
  const sub = await subscriptionOf(msg, memo);
  if (!sub) return { kind: 'dropped', reason: 'subscription deleted' };
  if (sub.enabled === false) return { kind: 'dropped', reason: 'subscription disabled' };

  const body = JSON.stringify(msg.event);
  const problem = subscriberUrlProblem(sub.url);
  const started = performance.now();
  let answer: Answer;
  if (problem) {
    answer = { error: `destination refused: ${problem}`, refused: true };
  } else {
    answer = await post(sub.url, body, {
      'content-type': 'application/json',
      'user-agent': 'integrations-webhooks/1',
      ...signatureHeaders(await signingSecrets(sub, now), msg.event.id, body, now),
      'x-webhook-id': msg.event.id,
      'x-webhook-event': msg.event.type,
      'x-webhook-attempt': String(msg.attempt),
    });
  }
  const durationMs = Math.round(performance.now() - started);

  const firstAt = msg.first_attempt_at ? Date.parse(msg.first_attempt_at) : now;
  const left = firstAt + RETRY_WINDOW_MS - now;
  const ok = 'status' in answer && answer.status >= 200 && answer.status < 300;
  const refused = 'refused' in answer && answer.refused === true;
  // The scheduled wait, but never past the end of the window: the last attempt is made at 24 h.
  const delaySeconds = Math.min(
    BACKOFF_SECONDS[msg.attempt - 1] ?? (BACKOFF_SECONDS.at(-1) as number),
    Math.ceil(left / 1000),
  );
  const status: DeliveryStatus = ok
    ? 'delivered'
    : refused
      ? 'failed'
      : left <= DUE_SLACK_MS
        ? 'dead'
        : 'retrying';
  const nextAt = status === 'retrying' ? new Date(now + delaySeconds * 1000).toISOString() : null;
  const attempt: DeliveryItem = {
    tenant_id: msg.tenant_id,
    subscription_id: msg.subscription_id,
    event_id: msg.event.id,
    event: msg.event.type,
    attempt: msg.attempt,
    status,
    response_status: 'status' in answer ? answer.status : null,
    duration_ms: durationMs,
    error: 'error' in answer ? answer.error : ok ? null : `HTTP ${(answer as { status: number }).status}`,
    attempted_at: new Date(now).toISOString(),
    next_attempt_at: nextAt,
    expires_at: Math.floor(now / 1000) + DELIVERY_RETENTION_SECONDS,
  };
  await putDelivery(attempt);
  if ((status === 'dead' || status === 'failed') && Buffer.byteLength(body, 'utf8') <= MAX_KEPT_EVENT_BYTES) {
    // Kept for a replay (POST …/deliveries/{event id}/retry) as long as the attempts are.
    await putDeadLetter({
      tenant_id: msg.tenant_id,
      subscription_id: msg.subscription_id,
      event_id: msg.event.id,
      event: body,
      status,
      ended_at: attempt.attempted_at,
      expires_at: attempt.expires_at,
    });
  }

  const first_attempt_at = new Date(firstAt).toISOString();
  if (status === 'retrying') {
    const { due_at: _d, ...rest } = msg;
    return {
      kind: 'retrying',
      attempt,
      next: { ...rest, attempt: msg.attempt + 1, first_attempt_at, due_at: nextAt as string },
      delaySeconds,
    };
  }
  if (status === 'dead') {
    // As it would be retried: redriven from the DLQ, it makes one more attempt.
    const { due_at: _d, ...rest } = msg;
    return { kind: 'dead', attempt, message: { ...rest, attempt: msg.attempt + 1, first_attempt_at } };
  }
  return { kind: status, attempt };
};

/** The worker's step: the attempt, then the message it leads to (a wait, a retry, the DLQ). */
export const handleDelivery = async (
  msg: OutboundMessage,
  memo?: SubscriptionMemo,
): Promise<DeliveryOutcome> => {
  const outcome = await attemptDelivery(msg, Date.now(), memo);
  if (outcome.kind === 'waiting' || outcome.kind === 'retrying') {
    await sendOutboundOne(outcome.next, Math.min(MAX_DELAY_SECONDS, outcome.delaySeconds));
  } else if (outcome.kind === 'dead') {
    await sendToDeadLetter(outcome.message);
  }
  return outcome;
};
