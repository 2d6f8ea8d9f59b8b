/**
 * The record ids an import has written so far, as a Bloom filter: "not seen" is certain,
 * "seen" may be wrong. An import into an empty partition (the connection's first) reads
 * back only the ids this says it may have written — a row repeating an earlier row's id —
 * instead of every id of every batch. Fixed size, whatever the file's: a set of the ids
 * themselves would grow with the file (~100 bytes an id), and the worker's memory must not.
 * At 2 MB and 4 probes, a million ids give ~0.2% false "seen" (each one an id looked up
 * that needed none); four million (a 1 GB file), ~14%: still correct, only slower.
 */
const BITS = 2 ** 24;
const PROBES = 4;

/** FNV-1a over the id's UTF-16 code units, from a given basis: two of them seed the probes. */
const fnv = (s: string, basis: number): number => {
  let h = basis;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

export const seenIds = () => {
  const bits = new Uint8Array(BITS / 8);
  // Double hashing (Kirsch–Mitzenmacher): probe i is h1 + i·h2, as good as PROBES hashes.
  const probes = (id: string, each: (bit: number) => boolean | undefined): boolean => {
    const h1 = fnv(id, 0x811c9dc5);
    const h2 = fnv(id, 0x050c5d1f) | 1;
    for (let i = 0; i < PROBES; i++) {
      if (each(((h1 + Math.imul(i, h2)) >>> 0) % BITS) === false) return false;
    }
    return true;
  };
  return {
    add: (id: string) => {
      probes(id, (bit) => {
        bits[bit >>> 3] = (bits[bit >>> 3] as number) | (1 << (bit & 7));
        return true;
      });
    },
    /** False: this id was never added. True: it probably was. */
    mayHave: (id: string): boolean =>
      probes(id, (bit) => ((bits[bit >>> 3] as number) & (1 << (bit & 7))) !== 0),
  };
};
