import { createHmac } from 'node:crypto';

/**
 * How we sign our own outbound webhooks: `X-Signature: t=<unix>,v1=<hex>` — HMAC-SHA256 of
 * `{t}.{body}` under the subscription's secret, Stripe's layout, so a subscriber verifies
 * it with a few lines (README "Webhooks to you"). Ours, not a provider's: it lives here,
 * not in adapters/.
 */
export const signatureHeader = (secret: string, rawBody: string, now: number): string => {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex')}`;
};
