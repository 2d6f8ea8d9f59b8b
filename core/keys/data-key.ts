import { hkdfSync } from 'node:crypto';
import { awsJson } from '../platform/aws-call';
import { secretId } from '../platform/config';

/**
 * The data-key secret: `{ "current": "1", "k1": "<random material>", "k2": … }`.
 * CDK generates it (64 random characters) and the admin CLI rotates it by adding a
 * version. Purpose-specific 256-bit keys are derived with HKDF, so one secret serves
 * credential encryption and cursor signing without reusing a key across purposes.
 */
export type DataKeys = { current: string; material: Map<string, string> };

// Cached per container; re-read after this long so a rotation reaches warm Lambdas.
export const CACHE_MS = 5 * 60_000;
let cache: { at: number; keys: Promise<DataKeys> } | undefined;

export const parseDataKeySecret = (secretString: string): DataKeys => {
  const parsed: unknown = JSON.parse(secretString);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('data key secret is not an object');
  const record = parsed as Record<string, unknown>;
  const current = record.current;
  if (typeof current !== 'string') throw new Error('data key secret has no current version');
  const material = new Map<string, string>();
  for (const [k, v] of Object.entries(record)) {
    if (/^k\d+$/.test(k) && typeof v === 'string' && v.length >= 32) material.set(k.slice(1), v);
  }
  if (!material.has(current)) throw new Error('data key secret lacks its current version');
  return { current, material };
};

const fetchKeys = (): Promise<DataKeys> =>
  awsJson<{ SecretString?: string }>('secretsmanager', 'GetSecretValue', {
    SecretId: secretId('dataKey'),
  }).then((r) => parseDataKeySecret(r.SecretString ?? ''));

export const loadDataKeys = (): Promise<DataKeys> => {
  const now = Date.now();
  if (!cache || now - cache.at > CACHE_MS) {
    const keys = fetchKeys();
    // A failed load must not stay cached: the next call tries again.
    keys.catch(() => {
      cache = undefined;
    });
    cache = { at: now, keys };
  }
  return cache.keys;
};

/** The highest version number the keys hold. */
export const newestVersion = (keys: DataKeys): number => Math.max(...[...keys.material.keys()].map(Number));

/**
 * The versions our signatures (end-user tokens, cursors) verify with: the current one and
 * the one before it. A rotation thus cuts nothing signed just before it, and two rotations
 * invalidate everything signed with a version that leaked. (Credentials decrypt with any
 * version the secret still holds, until `retire-data-keys` removes it.)
 */
export const signingVersions = (keys: DataKeys): string[] => {
  const older = [...keys.material.keys()].map(Number).filter((v) => v < Number(keys.current));
  return older.length ? [keys.current, String(Math.max(...older))] : [keys.current];
};

/**
 * Where a version number comes from. `request`: anyone can write it (an end-user token, a
 * cursor), so it may make this container re-read the secret at most once a minute, and only
 * when it is above the newest version known — a forged token never costs a Secrets Manager
 * call per request, and one of the versions a rotation adds is learnt within a minute.
 * `stored`: our own ciphertexts, written under a version some container held: a re-read
 * as soon as one names a newer version (at most once a second).
 */
export type VersionSource = 'request' | 'stored';
export const RELOAD_INTERVAL_MS: Record<VersionSource, number> = { request: 60_000, stored: 1_000 };
const lastReload: Record<VersionSource, number> = { request: 0, stored: 0 };

/**
 * The keys, including `version` if the secret has it: a warm container whose cache predates
 * a rotation re-reads the secret once instead of failing. A version at or below the newest
 * known is answered from memory: it was retired, or never existed.
 */
export const loadDataKeysWith = async (
  version: string,
  source: VersionSource = 'request',
): Promise<DataKeys> => {
  const keys = await loadDataKeys();
  if (keys.material.has(version)) return keys;
  if (!/^\d{1,6}$/.test(version) || Number(version) <= newestVersion(keys)) return keys;
  const now = Date.now();
  // Set before the read, so concurrent requests of this container make one read between them.
  if (now - lastReload[source] < RELOAD_INTERVAL_MS[source]) return keys;
  lastReload[source] = now;
  const fresh = fetchKeys();
  try {
    const reloaded = await fresh;
    cache = { at: now, keys: fresh };
    return reloaded;
  } catch {
    // Secrets Manager unreachable: keep what we have; the caller refuses the unknown version.
    return keys;
  }
};

export const deriveKey = (material: string, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', material, '', `integrations:${purpose}`, 32));

/** Drops the cached keys (after a rotation in this process). */
export const forgetDataKeys = (): void => {
  cache = undefined;
};
