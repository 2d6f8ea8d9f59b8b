import { createHash, randomBytes } from 'node:crypto';
import { ApiError } from '../platform/errors';
import { newId } from '../platform/ids';
import * as repo from '../store/tenants-repo';

/**
 * Tenants and their secret keys. A key is shown once, at creation; only its SHA-256
 * is stored (keys are 256 random bits, so a fast hash is enough — no salt or KDF
 * needed against guessing, unlike passwords).
 */
export type KeyMode = 'live' | 'test';
export type AuthContext =
  | { kind: 'secret_key'; tenantId: string; keyId: string }
  /**
   * An end-user token: acts only for `endUserId`; `keyId` names its rate-limit bucket
   * (`eut:<end user>`), `mintedBy` the secret key that minted it; `workspaceIds`, when set, the
   * only workspaces it may act in (tools, connect sessions).
   */
  | {
      kind: 'end_user';
      tenantId: string;
      keyId: string;
      endUserId: string;
      mintedBy: string;
      workspaceIds?: string[];
    };

export const SECRET_KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]{32,128}$/;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const generateSecretKey = (mode: KeyMode): string =>
  `sk_${mode}_${randomBytes(32).toString('base64url')}`;

/**
 * A tenant is live or test for good, chosen at creation: its keys are all of its mode, so a
 * sk_test_ key never reads or changes what sk_live_ keys created — test data lives in a
 * test tenant of its own (npm run admin -- create-tenant NAME --test).
 */
export const createTenant = async (
  name: string,
  options: { mode?: KeyMode } = {},
): Promise<repo.TenantItem> => {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 100) throw new Error('A tenant name is 1 to 100 characters.');
  const tenant = {
    tenant_id: newId('ten'),
    name: trimmed,
    mode: options.mode ?? 'live',
    created_at: new Date().toISOString(),
  };
  await repo.putTenant(tenant);
  return tenant;
};

/**
 * Creates a key for a tenant. `secret` lets the local runtime install a known
 * development key (DEV_SECRET_KEY); everywhere else it is generated.
 */
export const createKey = async (
  tenantId: string,
  options: { mode?: KeyMode; secret?: string } = {},
): Promise<{ key: repo.KeyItem; secret: string }> => {
  const tenant = await repo.getTenant(tenantId);
  if (!tenant) throw new Error(`No tenant ${tenantId}.`);
  const tenantMode = tenant.mode ?? 'live';
  const secret = options.secret ?? generateSecretKey(options.mode ?? tenantMode);
  const match = SECRET_KEY_PATTERN.exec(secret);
  if (!match)
    throw new Error('A secret key looks like sk_live_… or sk_test_… with 32 to 128 characters after.');
  if (match[1] !== tenantMode) {
    throw new Error(
      `${tenantId} is a ${tenantMode} tenant: its keys are sk_${tenantMode}_…` +
        (tenantMode === 'live' ? ' (create a test tenant for test keys: create-tenant NAME --test).' : '.'),
    );
  }
  const key: repo.KeyItem = {
    key_id: newId('key'),
    tenant_id: tenantId,
    mode: match[1] as KeyMode,
    last4: secret.slice(-4),
    created_at: new Date().toISOString(),
  };
  await repo.putKey(key, hashSecret(secret));
  return { key, secret };
};

export const listKeys = (tenantId: string) => repo.listKeys(tenantId);

export const revokeKey = async (keyId: string): Promise<repo.KeyItem> => {
  const key = await repo.findKeyById(keyId);
  if (!key) throw new Error(`No key ${keyId}.`);
  const at = new Date().toISOString();
  if (!key.revoked_at) await repo.revokeKey(key, at);
  return { ...key, revoked_at: key.revoked_at ?? at };
};

/** True when a key with this exact secret exists (used to keep DEV_SECRET_KEY idempotent). */
export const keyExists = async (secret: string): Promise<boolean> =>
  (await repo.getKeyByHash(hashSecret(secret))) !== undefined;

/**
 * Whether the key that minted an end-user token is still live, read at most once a window
 * per container (KEY_STATUS_CACHE_SECONDS, 60 at most): revoking a key stops its tokens
 * within that window, and a token costs no read per request. Tests shorten the window.
 */
const KEY_STATUS_MAX_SECONDS = 60;
const keyStatusWindowMs = (): number => {
  const configured = Number(process.env.KEY_STATUS_CACHE_SECONDS);
  const seconds = Number.isFinite(configured) && configured >= 0 ? configured : KEY_STATUS_MAX_SECONDS;
  return Math.min(seconds, KEY_STATUS_MAX_SECONDS) * 1000;
};
const keyStatuses = new Map<string, { at: number; live: Promise<boolean> }>();
const mintingKeyIsLive = (tenantId: string, keyId: string): Promise<boolean> => {
  const k = `${tenantId}/${keyId}`;
  const hit = keyStatuses.get(k);
  if (hit && Date.now() - hit.at < keyStatusWindowMs()) return hit.live;
  const live = repo.getKey(tenantId, keyId).then((key) => key !== undefined && !key.revoked_at);
  // A failed read is not remembered: the next request asks again.
  live.catch(() => keyStatuses.delete(k));
  keyStatuses.set(k, { at: Date.now(), live });
  // Bounded: a container serves a handful of tenants' keys; forget the oldest past that.
  if (keyStatuses.size > 10_000) keyStatuses.delete(keyStatuses.keys().next().value as string);
  return live;
};

// A tenant's mode never changes: read once per container and tenant.
const tenantModes = new Map<string, Promise<KeyMode>>();
const tenantModeOf = (tenantId: string): Promise<KeyMode> => {
  let m = tenantModes.get(tenantId);
  if (!m) {
    m = repo.getTenant(tenantId).then((t) => t?.mode ?? 'live');
    m.catch(() => tenantModes.delete(tenantId));
    tenantModes.set(tenantId, m);
    if (tenantModes.size > 10_000) tenantModes.delete(tenantModes.keys().next().value as string);
  }
  return m;
};

const unauthorized = (message: string) =>
  new ApiError('unauthorized', message, {
    remediation: 'Send Authorization: Bearer sk_live_… (a secret key) or eut_… (an end-user token).',
  });

/** Resolves an `Authorization` header to its tenant, or throws `unauthorized`. */
export const authenticate = async (authorization: string | undefined): Promise<AuthContext> => {
  if (!authorization) throw unauthorized('Missing Authorization header.');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw unauthorized('The Authorization header must be "Bearer <key>".');
  const token = match[1] as string;
  if (token.startsWith('eut_')) {
    // Imported on demand: only a request with an end-user token verifies one — public routes
    // never, secret-key routes only to refuse it. The verifier holds the data key, and with it
    // the Secrets Manager client (13 KB minified): the handlers that need neither (public,
    // secret-key routes without cursors or credentials) no longer load it at cold start. The
    // end-user routes' handlers read the data key anyway (cursors, credentials): for them this
    // is the verifier's own 1 KB.
    const { verifyEndUserToken } = await import('./end-user-tokens');
    const claims = await verifyEndUserToken(token);
    if (!claims) throw unauthorized('The end-user token is invalid or expired.');
    if (!(await mintingKeyIsLive(claims.tenantId, claims.keyId)))
      throw unauthorized('The key that minted this end-user token has been revoked.');
    return {
      kind: 'end_user',
      tenantId: claims.tenantId,
      endUserId: claims.endUserId,
      keyId: `eut:${claims.endUserId}`,
      mintedBy: claims.keyId,
      ...(claims.workspaceIds ? { workspaceIds: claims.workspaceIds } : {}),
    };
  }
  const mode = SECRET_KEY_PATTERN.exec(token)?.[1];
  if (!mode) throw unauthorized('The credential is malformed.');
  const found = await repo.getKeyByHash(hashSecret(token));
  if (!found) throw unauthorized('The credential is not valid.');
  if (found.revoked_at) throw unauthorized('The credential has been revoked.');
  // Keys made before tenants had a mode could mix them: a key of the other mode is refused.
  if ((await tenantModeOf(found.tenant_id)) !== mode)
    throw unauthorized(`This ${mode} key belongs to a tenant of the other mode and is not valid.`);
  return { kind: 'secret_key', tenantId: found.tenant_id, keyId: found.key_id };
};
