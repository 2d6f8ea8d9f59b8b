import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { vi } from 'vitest';

/**
 * A resolver the test controls, for names under `.test` (RFC 2606: never in the real DNS):
 * every lookup of the process goes through `dns.lookup` — the address guard's, and Node's
 * own for a socket without a lookup hook — so replacing it on the module object reroutes
 * both. Each name answers its next scripted answer (the last one repeats), which is how
 * a test makes a name resolve to a public address first and to a private one afterwards
 * (DNS rebinding). Any other name goes to the real resolver.
 */
export type DnsOverride = {
  /** The addresses `name` resolves to, one list per lookup; the last list repeats. */
  answer(name: string, ...answers: string[][]): void;
  /** How many times `name` was looked up. */
  lookups(name: string): number;
  restore(): void;
};

type Callback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

export const overrideDns = (): DnsOverride => {
  const scripted = new Map<string, string[][]>();
  const counts = new Map<string, number>();
  const real = dns.lookup;
  const spy = vi.spyOn(dns, 'lookup').mockImplementation(((
    hostname: string,
    options: LookupOptions | number | Callback,
    callback?: Callback,
  ) => {
    const cb = (typeof options === 'function' ? options : callback) as Callback;
    const opts: LookupOptions =
      typeof options === 'function' ? {} : typeof options === 'number' ? { family: options } : options;
    const queue = scripted.get(hostname.toLowerCase());
    if (!queue) return (real as (...a: unknown[]) => void)(hostname, opts, cb);
    counts.set(hostname.toLowerCase(), (counts.get(hostname.toLowerCase()) ?? 0) + 1);
    const addresses = (queue.length > 1 ? queue.shift() : queue[0]) as string[];
    const found = addresses.map((address) => ({ address, family: isIP(address) }));
    process.nextTick(() => {
      if (found.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        e.code = 'ENOTFOUND';
        return cb(e, '');
      }
      if (opts.all) return cb(null, found);
      const first = found[0] as LookupAddress;
      cb(null, first.address, first.family);
    });
  }) as typeof dns.lookup);
  return {
    answer: (name, ...answers) => {
      scripted.set(name.toLowerCase(), answers);
    },
    lookups: (name) => counts.get(name.toLowerCase()) ?? 0,
    restore: () => spy.mockRestore(),
  };
};
