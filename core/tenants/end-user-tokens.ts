import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey, loadDataKeys, loadDataKeysWith, signingVersions } from '../keys/data-key';

/**
 * End-user tokens: `eut_<payload>.<mac>`, a signed, expiring statement "this browser
 * acts for end user U of tenant T", minted by the tenant's backend with its secret key
 * and handed to its frontend. Stateless (HMAC-SHA256 under an HKDF key from the data
 * key), so checking one costs no database read.
 */
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 24 * 3600;
export const DEFAULT_TTL_SECONDS = 3600;

/**
 * `k`: the key that minted the token — revoking it revokes the token (core/tenants/tenants.ts);
 * `w`: the workspaces it is bound to, when it is (it then acts in those only).
 */
type Claims = {
  v: string;
  t: string;
  u: string;
  k: string;
  w?: string[];
  iat: number;
  exp: number;
  jti: string;
};

/** A token's workspaces: at most this many, so the token stays well within a header. */
export const MAX_TOKEN_WORKSPACES = 20;

const mac = (material: string, payload: string) =>
  createHmac('sha256', deriveKey(material, 'end-user-token')).update(payload).digest();

export const mintEndUserToken = async (
  minter: { tenantId: string; keyId: string },
  endUserId: string,
  ttlSeconds: number,
  workspaceIds?: readonly string[],
) => {
  const keys = await loadDataKeys();
  const now = Math.floor(Date.now() / 1000);
  const claims: Claims = {
    v: keys.current,
    t: minter.tenantId,
    u: endUserId,
    k: minter.keyId,
    ...(workspaceIds?.length ? { w: [...new Set(workspaceIds)] } : {}),
    iat: now,
    exp: now + ttlSeconds,
    jti: randomBytes(9).toString('base64url'),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const token = `eut_${payload}.${mac(keys.material.get(keys.current) as string, payload).toString('base64url')}`;
  return { token, expiresAt: new Date(claims.exp * 1000).toISOString() };
};

export type EndUserClaims = {
  tenantId: string;
  endUserId: string;
  keyId: string;
  /** Undefined: not bound to workspaces. */
  workspaceIds?: string[];
  expiresAt: number;
};

/** The claims of a valid, unexpired token; undefined for anything else (never throws). */
export const verifyEndUserToken = async (
  token: string,
  now = Date.now(),
): Promise<EndUserClaims | undefined> => {
  const m = /^eut_([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!m) return undefined;
  const [, payload, signature] = m as unknown as [string, string, string];
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims;
  } catch {
    return undefined;
  }
  if (typeof claims?.v !== 'string' || !/^\d{1,6}$/.test(claims.v)) return undefined;
  const keys = await loadDataKeysWith(claims.v);
  const material = keys.material.get(claims.v);
  if (!material || !signingVersions(keys).includes(claims.v)) return undefined;
  const expected = mac(material, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (
    typeof claims.t !== 'string' ||
    typeof claims.u !== 'string' ||
    typeof claims.k !== 'string' ||
    typeof claims.exp !== 'number'
  )
    return undefined;
  if (claims.exp * 1000 <= now) return undefined;
  const w = claims.w;
  if (w !== undefined && (!Array.isArray(w) || w.length === 0 || !w.every((x) => typeof x === 'string')))
    return undefined;
  return {
    tenantId: claims.t,
    endUserId: claims.u,
    keyId: claims.k,
    ...(w ? { workspaceIds: w } : {}),
    expiresAt: claims.exp,
  };
};
