import { randomBytes } from 'node:crypto';
import { awsJson, clientRequestToken } from '../platform/aws-call';
import { secretId } from '../platform/config';
import { resealIfUnchanged, scanAllConnections } from '../store/connections-repo';
import { resealSubscriptionIfUnchanged, scanAllSubscriptions } from '../store/webhook-subscriptions-repo';
import { decryptFor, encryptFor, keyVersionOf } from './credentials-crypto';
import { CACHE_MS, forgetDataKeys, parseDataKeySecret } from './data-key';

/**
 * Data-key rotation, for routine hygiene and to contain a leaked version:
 *
 * `npm run admin -- rotate-data-key` adds a version to the data-key secret, makes it
 * current, and re-seals everything still sealed under an older version: connections'
 * credentials and webhook subscriptions' signing secrets. Warm Lambdas keep the previous
 * set for up to CACHE_MS and may still seal with it meanwhile; running the command again
 * (`{ addVersion: false }`) re-seals those stragglers — it only touches what isn't current.
 *
 * `npm run admin -- retire-data-keys --keep 2` then removes every version but the newest
 * `keep` from the secret — refused while anything is still sealed under one of them (the
 * report names what), or while a rotation is younger than the Lambdas' key cache.
 * Signatures (end-user tokens, cursors) verify only with the current and previous versions
 * anyway (data-key.ts signingVersions), retired or not.
 */

type SecretRecord = Record<string, string>;

const readSecret = async (): Promise<{ raw: string; record: SecretRecord }> => {
  const raw =
    (
      await awsJson<{ SecretString?: string }>('secretsmanager', 'GetSecretValue', {
        SecretId: secretId('dataKey'),
      })
    ).SecretString ?? '';
  return { raw, record: JSON.parse(raw) as SecretRecord };
};

const writeSecret = async (record: SecretRecord): Promise<void> => {
  await awsJson('secretsmanager', 'PutSecretValue', {
    SecretId: secretId('dataKey'),
    ClientRequestToken: clientRequestToken(),
    SecretString: JSON.stringify(record),
  });
  forgetDataKeys();
};

/** Everything sealed under a data-key version: what rotation re-seals and retirement checks. */
type Sealed = { kind: 'connection' | 'webhook_subscription'; tenantId: string; id: string; sealed: string };

async function* everythingSealed(): AsyncGenerator<
  Sealed & { reseal: (sealed: string) => Promise<boolean> }
> {
  for await (const page of scanAllConnections()) {
    for (const c of page) {
      // A connection still waiting for its OAuth callback holds no credentials yet.
      if (typeof c.sealed !== 'string') continue;
      yield {
        kind: 'connection',
        tenantId: c.tenant_id,
        id: c.connection_id,
        sealed: c.sealed,
        // Conditional on the old ciphertext: a token refresh that wrote meanwhile wins.
        reseal: (sealed) => resealIfUnchanged(c, sealed),
      };
    }
  }
  for await (const page of scanAllSubscriptions()) {
    for (const s of page) {
      yield {
        kind: 'webhook_subscription',
        tenantId: s.tenant_id,
        id: s.subscription_id,
        sealed: s.sealed_secret,
        reseal: (sealed) => resealSubscriptionIfUnchanged(s, sealed),
      };
      // A rotated-out secret still signs for a day (POST …/rotate-secret): re-sealed too.
      if (s.previous_sealed_secret !== undefined) {
        yield {
          kind: 'webhook_subscription',
          tenantId: s.tenant_id,
          id: s.subscription_id,
          sealed: s.previous_sealed_secret,
          reseal: (sealed) => resealSubscriptionIfUnchanged(s, sealed, 'previous_sealed_secret'),
        };
      }
    }
  }
}

export const rotateDataKey = async (options: { addVersion?: boolean } = {}) => {
  const { raw, record } = await readSecret();
  const keys = parseDataKeySecret(raw);
  let current = keys.current;
  if (options.addVersion !== false) {
    const next = String(Math.max(...[...keys.material.keys()].map(Number)) + 1);
    record[`k${next}`] = randomBytes(48).toString('base64url');
    record.current = next;
    // When it became current: retirement waits until no warm Lambda can still seal with the old one.
    record.rotated_at = new Date().toISOString();
    await writeSecret(record);
    current = next;
  }
  forgetDataKeys();
  const counts = { connections: 0, webhook_subscriptions: 0 };
  let skipped = 0;
  for await (const item of everythingSealed()) {
    if (keyVersionOf(item.sealed) === current) continue;
    // Both are sealed bound to (tenant, own id): the subscription's id plays the connection's part.
    const plain = await decryptFor(item.tenantId, item.id, item.sealed);
    if (await item.reseal(await encryptFor(item.tenantId, item.id, plain))) {
      counts[item.kind === 'connection' ? 'connections' : 'webhook_subscriptions']++;
    } else skipped++;
  }
  return {
    current_version: current,
    reencrypted: counts.connections,
    resealed: counts,
    changed_meanwhile: skipped,
  };
};

/** A refused retirement: what still needs re-sealing, or why it is too early. */
export class RetireRefused extends Error {
  override readonly name = 'RetireRefused';
  constructor(
    message: string,
    readonly report: { still_sealed?: Record<string, number>; examples?: string[] } = {},
  ) {
    super(message);
  }
}

/** How long after a rotation retirement waits: the Lambdas' key cache, and a minute more. */
export const RETIRE_AFTER_ROTATION_MS = CACHE_MS + 60_000;

export const retireDataKeys = async (options: { keep?: number; now?: number } = {}) => {
  const keep = options.keep ?? 2;
  if (!Number.isInteger(keep) || keep < 1) throw new RetireRefused('--keep must be a whole number ≥ 1.');
  const now = options.now ?? Date.now();
  const { raw, record } = await readSecret();
  const keys = parseDataKeySecret(raw);
  const versions = [...keys.material.keys()].sort((a, b) => Number(b) - Number(a));
  const kept = versions.slice(0, keep);
  if (!kept.includes(keys.current)) {
    throw new RetireRefused(
      `The current version ${keys.current} is not among the ${keep} newest; refusing to retire it.`,
    );
  }
  const retiring = versions.filter((v) => !kept.includes(v));
  if (retiring.length === 0) return { retired: [] as string[], kept, current_version: keys.current };
  const rotatedAt = record.rotated_at ? Date.parse(record.rotated_at) : Number.NaN;
  if (Number.isFinite(rotatedAt) && now - rotatedAt < RETIRE_AFTER_ROTATION_MS) {
    const wait = Math.ceil((RETIRE_AFTER_ROTATION_MS - (now - rotatedAt)) / 1000);
    throw new RetireRefused(
      `Version ${keys.current} became current at ${record.rotated_at}: warm Lambdas may still seal with an older one. ` +
        `Wait ${wait} s, run rotate-data-key again without a new version (re-seals stragglers), then retire.`,
    );
  }
  const stillSealed: Record<string, number> = {};
  const examples: string[] = [];
  for await (const item of everythingSealed()) {
    const v = keyVersionOf(item.sealed);
    if (!retiring.includes(v)) continue;
    const label = `${item.kind}s under v${v}`;
    stillSealed[label] = (stillSealed[label] ?? 0) + 1;
    if (examples.length < 10) examples.push(`${item.kind} ${item.id} (tenant ${item.tenantId}, v${v})`);
  }
  if (examples.length > 0) {
    throw new RetireRefused(
      `Still sealed under a version being retired: ${Object.entries(stillSealed)
        .map(([what, n]) => `${n} ${what}`)
        .join(', ')}. Run rotate-data-key (it re-seals them), then retire again.`,
      { still_sealed: stillSealed, examples },
    );
  }
  const next: SecretRecord = {};
  for (const [k, v] of Object.entries(record))
    if (!/^k\d+$/.test(k) || kept.includes(k.slice(1))) next[k] = v;
  await writeSecret(next);
  return { retired: retiring, kept, current_version: keys.current };
};
