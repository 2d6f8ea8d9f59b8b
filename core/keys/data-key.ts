import { hkdfSync } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsClient } from '../platform/aws';
import { secretId } from '../platform/config';

/**
 * The data-key secret: `{ "current": "1", "k1": "<random material>", "k2": … }`.
 * CDK generates it (64 random characters) and the admin CLI rotates it by adding a
 * version. Purpose-specific 256-bit keys are derived with HKDF, so one secret serves
 * credential encryption and cursor signing without reusing a key across purposes.
 */
export type DataKeys = { current: string; material: Map<string, string> };

// Cached per container; re-read after this long so a rotation reaches warm Lambdas.
const CACHE_MS = 5 * 60_000;
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

export const loadDataKeys = (): Promise<DataKeys> => {
  const now = Date.now();
  if (!cache || now - cache.at > CACHE_MS) {
    const keys = secretsClient()
      .send(new GetSecretValueCommand({ SecretId: secretId('dataKey') }))
      .then((r) => parseDataKeySecret(r.SecretString ?? ''));
    // A failed load must not stay cached: the next call tries again.
    keys.catch(() => {
      cache = undefined;
    });
    cache = { at: now, keys };
  }
  return cache.keys;
};

/**
 * The keys, guaranteed to include `version` if the secret has it: a warm container
 * whose cache predates a rotation reloads once instead of failing to decrypt.
 */
export const loadDataKeysWith = async (version: string): Promise<DataKeys> => {
  const keys = await loadDataKeys();
  if (keys.material.has(version)) return keys;
  cache = undefined;
  return loadDataKeys();
};

export const deriveKey = (material: string, purpose: string): Buffer =>
  Buffer.from(hkdfSync('sha256', material, '', `integrations:${purpose}`, 32));

/** Drops the cached keys (after a rotation in this process). */
export const forgetDataKeys = (): void => {
  cache = undefined;
};
