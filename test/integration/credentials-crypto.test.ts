import { expect, it } from 'vitest';
import { decryptFor, encryptFor, keyVersionOf } from '../../core/keys/credentials-crypto';

// Against the run's data-key secret in the local Secrets Manager.
const creds = { type: 'api_key', api_key: 'lin_api_0123456789abcdef' };

it('round-trips credentials and never shows them in the ciphertext', async () => {
  const sealed = await encryptFor('ten_a', 'conn_1', creds);
  expect(sealed).toMatch(/^v\d+\.[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(sealed).not.toContain('lin_api');
  expect(await decryptFor('ten_a', 'conn_1', sealed)).toEqual(creds);
  expect(keyVersionOf(sealed)).toMatch(/^\d+$/);
});

it('uses a fresh IV each time', async () => {
  expect(await encryptFor('ten_a', 'conn_1', creds)).not.toBe(await encryptFor('ten_a', 'conn_1', creds));
});

it('binds the ciphertext to its tenant and connection', async () => {
  const sealed = await encryptFor('ten_a', 'conn_1', creds);
  await expect(decryptFor('ten_b', 'conn_1', sealed)).rejects.toThrow();
  await expect(decryptFor('ten_a', 'conn_2', sealed)).rejects.toThrow();
});

it('detects tampering', async () => {
  const sealed = await encryptFor('ten_a', 'conn_1', creds);
  const parts = sealed.split('.');
  const ct = Buffer.from(parts[2] as string, 'base64url');
  ct[0] = (ct[0] as number) ^ 1;
  parts[2] = ct.toString('base64url');
  await expect(decryptFor('ten_a', 'conn_1', parts.join('.'))).rejects.toThrow();
  await expect(decryptFor('ten_a', 'conn_1', `v999.${parts.slice(1).join('.')}`)).rejects.toThrow(/version/);
});

it('refuses a truncated authentication tag (GCM would check only its first bytes)', async () => {
  const sealed = await encryptFor('ten_a', 'conn_1', creds);
  const parts = sealed.split('.');
  for (const bytes of [4, 8, 12, 15]) {
    const short = Buffer.from(parts[3] as string, 'base64url')
      .subarray(0, bytes)
      .toString('base64url');
    await expect(decryptFor('ten_a', 'conn_1', [...parts.slice(0, 3), short].join('.'))).rejects.toThrow();
  }
});
