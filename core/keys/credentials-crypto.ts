import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { deriveKey, loadDataKeys, loadDataKeysWith } from './data-key';

/**
 * Per-connection credentials at rest: AES-256-GCM under a key derived from the data key
 * (Secrets Manager, cached per container), with associated data binding the ciphertext
 * to its tenant and connection — a ciphertext copied onto another connection or tenant
 * fails to decrypt. The key version travels with the ciphertext, so rotation can add a
 * version and re-encrypt at leisure: `v<version>.<iv>.<ciphertext>.<tag>` (base64url).
 */
/**
 * The full 128-bit GCM tag, required on decryption: without `authTagLength`, Node accepts a
 * tag as short as 4 bytes and checks only that many — a forger's work drops from 2^128 to 2^32.
 */
const TAG_BYTES = 16;

const aad = (tenantId: string, connectionId: string) =>
  Buffer.from(`tenant:${tenantId}|connection:${connectionId}`);

export const encryptFor = async (
  tenantId: string,
  connectionId: string,
  plaintext: unknown,
): Promise<string> => {
  const keys = await loadDataKeys();
  const key = deriveKey(keys.material.get(keys.current) as string, 'credentials');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(tenantId, connectionId));
  const ct = Buffer.concat([cipher.update(JSON.stringify(plaintext), 'utf8'), cipher.final()]);
  return [`v${keys.current}`, iv, ct, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
};

export const keyVersionOf = (sealed: string): string => sealed.slice(1, sealed.indexOf('.'));

export const decryptFor = async <T>(tenantId: string, connectionId: string, sealed: string): Promise<T> => {
  const [version, iv, ct, tag] = sealed.split('.');
  if (!version?.startsWith('v') || !iv || !ct || !tag) throw new Error('sealed credentials are malformed');
  const keys = await loadDataKeysWith(version.slice(1), 'stored');
  const material = keys.material.get(version.slice(1));
  if (!material) throw new Error(`data key version ${version.slice(1)} is not in the secret`);
  const decipher = createDecipheriv(
    'aes-256-gcm',
    deriveKey(material, 'credentials'),
    Buffer.from(iv, 'base64url'),
    {
      authTagLength: TAG_BYTES,
    },
  );
  decipher.setAAD(aad(tenantId, connectionId));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const pt = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
  return JSON.parse(pt.toString('utf8')) as T;
};
