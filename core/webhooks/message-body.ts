import { isUtf8 } from 'node:buffer';
import type { QueuedWebhookEvent } from './message';

/**
 * A webhook body on the queue, losslessly: as text when it is valid UTF-8 (what providers
 * send, readable in the queue and the events log), else base64 — its signature was checked
 * over these exact bytes, and a UTF-8 round trip would change them.
 */
export const encodeBody = (bytes: Buffer): Pick<QueuedWebhookEvent, 'body' | 'body_encoding'> =>
  isUtf8(bytes)
    ? { body: bytes.toString('utf8') }
    : { body: bytes.toString('base64'), body_encoding: 'base64' };

/** The bytes the provider sent. */
export const bodyBytes = (msg: Pick<QueuedWebhookEvent, 'body' | 'body_encoding'>): Buffer =>
  Buffer.from(msg.body, msg.body_encoding === 'base64' ? 'base64' : 'utf8');
