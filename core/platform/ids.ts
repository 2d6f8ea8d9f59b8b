import { monotonicFactory, ulid as randomUlid } from 'ulidx';

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
const ulid = monotonicFactory();

export const newId = (prefix: IdPrefix): string => `${prefix}_${ulid().toLowerCase()}`;

/**
 * A connect session id. It is all `/v1/connect/start` needs, so it must not be guessable from
 * another one: a plain ULID (a fresh 80-bit random part each time, still sorting by time)
 * instead of the monotonic factory's, which is the previous id plus one within a millisecond.
 */
export const newSessionId = (): string => `cs_${randomUlid().toLowerCase()}`;
export const SESSION_ID = /^cs_[0-9a-z]{26}$/;
