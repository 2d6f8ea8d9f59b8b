import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsClient } from '../platform/aws';
import { secretId } from '../platform/config';
import { resealIfUnchanged, scanAllConnections } from '../store/connections-repo';
import { decryptFor, encryptFor, keyVersionOf } from './credentials-crypto';
import { forgetDataKeys, parseDataKeySecret } from './data-key';

/**
 * `npm run admin -- rotate-data-key`: adds a new key version to the data-key secret and
 * makes it current, then re-encrypts every connection's credentials still sealed under
 * an older version. Old versions stay in the secret, because warm Lambdas keep the
 * previous set for up to five minutes and may still seal with it; running the command
 * again later re-encrypts those stragglers (it only touches what isn't current).
 */
export const rotateDataKey = async (options: { addVersion?: boolean } = {}) => {
  const sm = secretsClient();
  const id = secretId('dataKey');
  const raw = (await sm.send(new GetSecretValueCommand({ SecretId: id }))).SecretString ?? '';
  const keys = parseDataKeySecret(raw);
  let current = keys.current;
  if (options.addVersion !== false) {
    const next = String(Math.max(...[...keys.material.keys()].map(Number)) + 1);
    const record = JSON.parse(raw) as Record<string, string>;
    record[`k${next}`] = randomBytes(48).toString('base64url');
    record.current = next;
    await sm.send(new PutSecretValueCommand({ SecretId: id, SecretString: JSON.stringify(record) }));
    current = next;
  }
  forgetDataKeys();
  let reencrypted = 0;
  let skipped = 0;
  let withoutCredentials = 0;
  for await (const page of scanAllConnections()) {
    for (const c of page) {
      // A connection still waiting for its OAuth callback holds no credentials yet.
      if (typeof c.sealed !== 'string') {
        withoutCredentials++;
        continue;
      }
      if (keyVersionOf(c.sealed) === current) continue;
      const plain = await decryptFor(c.tenant_id, c.connection_id, c.sealed);
      // Conditional on the old ciphertext: a token refresh that wrote meanwhile wins.
      if (await resealIfUnchanged(c, await encryptFor(c.tenant_id, c.connection_id, plain))) reencrypted++;
      else skipped++;
    }
  }
  return {
    current_version: current,
    reencrypted,
    changed_meanwhile: skipped,
    without_credentials: withoutCredentials,
  };
};
