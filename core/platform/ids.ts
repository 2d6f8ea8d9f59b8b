import { randomFillSync } from 'node:crypto';
import { monotonicFactory, ulid } from 'ulidx';

/**
 * ulidx's own generator draws each of an id's 16 random characters with a getRandomValues
 * call of one byte: 5 % of the webhook receiver's CPU at 500 req/s (`npm run bench --
 * webhooks`, profiled; it mints a request id per call). The same CSPRNG, filled 256 bytes at
 * a time; a byte / 256 picks one of 32 characters uniformly (ulidx's / 255 did not quite).
 */
const pool = Buffer.alloc(256);
let drawn = pool.length;
const prng = (): number => {
  if (drawn === pool.length) {
    randomFillSync(pool);
    drawn = 0;
  }
  return (pool[drawn++] as number) / 256;
};

/** Prefixes of API.md: opaque, prefixed, sortable ids. */
export type IdPrefix =
  | 'ten'
  | 'key'
  | 'conn'
  | 'run'
  | 'imp'
  | 'whs'
  | 'whe'
  | 'evt'
  | 'cs'
  | 'req'
  | 'int'
  | 'tc';

// Monotonic so ids minted in the same millisecond still sort in creation order.
const monotonic = monotonicFactory(prng);

export const newId = (prefix: IdPrefix): string => `${prefix}_${monotonic().toLowerCase()}`;

/**
 * A connect session id. It is all `/v1/connect/start` needs, so it must not be guessable from
 * another one: a plain ULID (a fresh 80-bit random part each time, still sorting by time)
 * instead of the monotonic factory's, which is the previous id plus one within a millisecond.
 */
export const newSessionId = (): string => `cs_${ulid(undefined, prng).toLowerCase()}`;
export const SESSION_ID = /^cs_[0-9a-z]{26}$/;
