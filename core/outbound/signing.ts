import { createHmac } from 'node:crypto';

/**
 * How we sign our own outbound webhooks — ours, not a provider's, so it lives here, not in
 * adapters/. Every delivery carries two signatures over the same bytes, so a subscriber
 * verifies whichever way suits it:
 * - `X-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 of `{t}.{body}` keyed by the whole secret
 *   string (`whsec_…` included) — Stripe's layout, a few lines to check by hand;
 * - the Standard Webhooks headers `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: v1,<base64>` — HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed by the
 *   base64-decoded part of the secret after `whsec_`, so the `standardwebhooks` libraries
 *   verify it as they are. https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 * While a rotated secret is still valid, each header carries a signature per secret.
 */
export const signatureHeader = (secret: string, rawBody: string, now: number): string => {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
};

const PREFIX = 'whsec_';

/** The key bytes of a `whsec_<base64>` secret (base64url secrets issued earlier decode too). */
const keyBytes = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/** The signature headers of one delivery attempt, for every secret that is valid now. */
export const signatureHeaders = (
  secrets: readonly string[],
  id: string,
  rawBody: string,
  now: number,
): Record<string, string> => {
  const t = Math.floor(now / 1000);
  const stripe = secrets.map((s) => createHmac('sha256', s).update(`${t}.${rawBody}`).digest('hex'));
  const standard = secrets.map(
    (s) => `v1,${createHmac('sha256', keyBytes(s)).update(`${id}.${t}.${rawBody}`).digest('base64')}`,
  );
  return {
    'x-signature': `t=${t},${stripe.map((v) => `v1=${v}`).join(',')}`,
    'webhook-id': id,
    'webhook-timestamp': String(t),
    'webhook-signature': standard.join(' '),
  };
};
