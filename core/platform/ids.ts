import { monotonicFactory } from 'ulidx';

/** Prefixes of API.md: opaque, prefixed, sortable ids. */
export type IdPrefix = 'ten' | 'key' | 'conn' | 'run' | 'imp' | 'whs' | 'whe' | 'evt' | 'cs' | 'req' | 'int';

// Monotonic so ids minted in the same millisecond still sort in creation order.
const ulid = monotonicFactory();

export const newId = (prefix: IdPrefix): string => `${prefix}_${ulid().toLowerCase()}`;
