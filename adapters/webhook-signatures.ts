import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signature schemes, over the raw body, before anything parses it. Every
 * comparison is constant-time on equal lengths (a length mismatch is a refusal, never a
 * throw from timingSafeEqual), and every timestamped scheme checks its window. Failures
 * throw `WebhookRefused`, which the receiver answers with 401 — never 5xx.
 *
 * node:crypto on purpose: the schemes are a few lines each, and the provider SDKs that
 * implement them (octokit/webhooks, stripe, svix) would each bring their whole client.
 *
 * A scheme only one provider uses lives in a module of its own (webhook-slack.ts,
 * webhook-svix.ts): this module is one chunk shared by every provider that verifies
 * webhooks, so what is in it is loaded with each of them.
 */
export class WebhookRefused extends Error {
  override readonly name = 'WebhookRefused';
}

export const refuse = (why: string): never => {
  throw new WebhookRefused(why);
};

/**
 * A request body exactly as sent: its bytes (the receiver hands these over, so a body that
 * is not valid UTF-8 still verifies), or a string standing for its UTF-8 encoding.
 */
export type RawBody = Uint8Array | string;

/** The body as text, for parsing after it verified (invalid UTF-8 becomes U+FFFD). */
export const rawText = (body: RawBody): string =>
  typeof body === 'string'
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');

/** HMAC-SHA256 over parts fed in order: a signed prefix (`v0:{ts}:`) and the body's bytes, never re-encoded. */
export const hmacOf = (secret: string | Buffer, parts: readonly RawBody[]) => {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h;
};

/** Constant-time equality of two strings; false (not a throw) when lengths differ. */
export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

export const hmacHex = (secret: string | Buffer, ...parts: RawBody[]): string =>
  hmacOf(secret, parts).digest('hex');

export const HEX64 = /^[0-9a-f]{64}$/;

/**
 * `sha256=<hex>` (GitHub X-Hub-Signature-256, Jira and Bitbucket X-Hub-Signature) or bare
 * hex (ClickUp X-Signature, SonarQube Cloud, Linear-Signature): HMAC-SHA256 of the body.
 */
export const verifyHmacSha256Hex = (
  header: string | undefined,
  secret: string,
  rawBody: RawBody,
  prefix: '' | 'sha256=' = 'sha256=',
): void => {
  if (!header) refuse('missing signature');
  const sig = (header as string).trim();
  if (prefix && !sig.startsWith(prefix)) refuse('malformed signature');
  const hex = sig.slice(prefix.length).toLowerCase();
  if (!HEX64.test(hex)) refuse('malformed signature');
  if (!safeEqual(hex, hmacHex(secret, rawBody))) refuse('signature mismatch');
};

/** Refuses a timestamp (unix seconds) more than `toleranceSeconds` away from `now` (ms). */
export const checkWindow = (seconds: number, now: number, toleranceSeconds: number) => {
  if (!Number.isFinite(seconds) || Math.abs(now / 1000 - seconds) > toleranceSeconds)
    refuse('stale timestamp');
};

/**
 * Stripe-style `t=<unix>,v1=<hex>[,v1=…]`: HMAC of `{t}.{body}`, within `tolerance`
 * seconds. Any v1 may match (Stripe sends one per active secret while rolling them).
 * The same format signs our own outbound webhooks (X-Signature).
 */
export const verifyStripeStyle = (
  header: string | undefined,
  secret: string,
  rawBody: RawBody,
  now: number,
  toleranceSeconds = 300,
): void => {
  if (!header) refuse('missing signature');
  const parts = (header as string).split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const v1 = parts
    .filter(([k, v]) => k === 'v1' && v !== undefined)
    .map(([, v]) => (v as string).toLowerCase());
  if (!t || !/^\d{1,12}$/.test(t) || v1.length === 0) refuse('malformed signature');
  checkWindow(Number(t), now, toleranceSeconds);
  const expected = hmacHex(secret, `${t}.`, rawBody);
  if (!v1.some((v) => safeEqual(v, expected))) refuse('signature mismatch');
};

/** A shared secret sent as is (GitLab X-Gitlab-Token, Google X-Goog-Channel-Token, Graph clientState). */
export const verifySharedToken = (offered: string | undefined, secret: string): void => {
  if (!offered) refuse('missing token');
  if (!safeEqual(offered as string, secret)) refuse('token mismatch');
};
