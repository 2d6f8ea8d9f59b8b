import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey, loadDataKeys, loadDataKeysWith, signingVersions } from '../keys/data-key';
import { ApiError } from './errors';

/**
 * Opaque, tamper-evident list cursors: base64url(JSON) + "." + HMAC-SHA256. The MAC
 * covers the tenant and the list's scope (route + filters), so a forged cursor, one
 * from another tenant, or one replayed against different filters is `invalid_cursor`.
 */
type Envelope = { v: string; t: string; s: string; d: unknown };

const mac = (material: string, payload: string): Buffer =>
  createHmac('sha256', deriveKey(material, 'cursor')).update(payload).digest();

export const encodeCursor = async (tenantId: string, scope: string, data: unknown): Promise<string> => {
  const keys = await loadDataKeys();
  const material = keys.material.get(keys.current) as string;
  const payload = Buffer.from(JSON.stringify({ v: keys.current, t: tenantId, s: scope, d: data })).toString(
    'base64url',
  );
  return `${payload}.${mac(material, payload).toString('base64url')}`;
};

const invalid = () =>
  new ApiError('invalid_cursor', 'The cursor is not valid for this list.', {
    remediation: 'Use next_cursor exactly as returned by the same list with the same filters, or omit it.',
  });

export const decodeCursor = async (tenantId: string, scope: string, cursor: string): Promise<unknown> => {
  const [payload, signature, extra] = cursor.split('.');
  if (!payload || !signature || extra !== undefined) throw invalid();
  let envelope: Envelope;
  try {
    envelope = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Envelope;
  } catch {
    throw invalid();
  }
  if (typeof envelope?.v !== 'string' || !/^\d{1,6}$/.test(envelope.v)) throw invalid();
  const keys = await loadDataKeysWith(envelope.v);
  const material = keys.material.get(envelope.v);
  if (!material || !signingVersions(keys).includes(envelope.v)) throw invalid();
  const expected = mac(material, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  if (envelope.t !== tenantId || envelope.s !== scope) throw invalid();
  return envelope.d;
};
