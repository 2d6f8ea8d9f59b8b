import { checkWindow, HEX64, hmacHex, type RawBody, refuse, safeEqual } from './webhook-signatures';

/** Slack: `v0=` + hex HMAC of `v0:{timestamp}:{body}`, the timestamp within 5 minutes. */
export const verifySlackV0 = (
  signature: string | undefined,
  timestamp: string | undefined,
  secret: string,
  rawBody: RawBody,
  now: number,
): void => {
  if (!signature || !timestamp) refuse('missing signature');
  if (!/^\d{1,12}$/.test(timestamp as string)) refuse('malformed timestamp');
  checkWindow(Number(timestamp), now, 300);
  const sig = signature as string;
  if (!sig.startsWith('v0=') || !HEX64.test(sig.slice(3))) refuse('malformed signature');
  if (!safeEqual(sig.slice(3), hmacHex(secret, `v0:${timestamp}:`, rawBody))) refuse('signature mismatch');
};
