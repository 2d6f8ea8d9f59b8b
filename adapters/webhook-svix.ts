import { checkWindow, hmacOf, type RawBody, refuse, safeEqual } from './webhook-signatures';

/**
 * Svix (Resend, Clerk…): HMAC-SHA256 of `{svix-id}.{svix-timestamp}.{body}` keyed by the
 * base64 part of `whsec_<base64>`, base64 signatures in `svix-signature` as space-separated
 * `v1,<sig>` entries; the timestamp within 5 minutes.
 */
export const verifySvix = (
  headers: Record<string, string>,
  secret: string,
  rawBody: RawBody,
  now: number,
): void => {
  const id = headers['svix-id'];
  const ts = headers['svix-timestamp'];
  const sigs = headers['svix-signature'];
  if (!id || !ts || !sigs) refuse('missing signature');
  if (!/^\d{1,12}$/.test(ts as string)) refuse('malformed timestamp');
  checkWindow(Number(ts), now, 300);
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  if (key.length === 0) refuse('unusable secret');
  const expected = hmacOf(key, [`${id}.${ts}.`, rawBody]).digest('base64');
  const offered = (sigs as string)
    .split(' ')
    .map((s) => s.split(','))
    .filter(([v, sig]) => v === 'v1' && sig)
    .map(([, sig]) => sig as string);
  if (!offered.some((s) => safeEqual(s, expected))) refuse('signature mismatch');
};
