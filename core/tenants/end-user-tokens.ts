import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { deriveKey, loadDataKeys, loadDataKeysWith, signingVersions } from '../keys/data-key';

/**
 * End-user tokens: `eut_<version>.<payload>.<mac>`, a signed, expiring statement "this
 * browser acts for end user U of tenant T", minted by the tenant's backend with its secret
 * key and handed to its frontend. Stateless (HMAC-SHA256 under an HKDF key from the data
 * key version named in clear, over `<version>.<payload>`), so checking one costs no
 * database read — and the MAC is checked before anything of the payload is parsed.
 */
export const MIN_TTL_SECONDS = 60;
export const MAX_TTL_SECONDS = 24 * 3600;
export const DEFAULT_TTL_SECONDS = 3600;

/**
 * `k`: the key that minted the token — revoking it revokes the token (core/tenants/tenants.ts);
 * `w`: the workspaces it is bound to, when it is (it then acts in those only).
 */
type Claims = { t: string; u: string; k: string; w?: string[]; iat: number; exp: number; jti: string };

/**
 * The payload's shape, checked by hand rather than with a zod schema: this runs in the auth
 * middleware of every handler, and a schema here put zod's core (≈ 20 KB minified) into
 * handlers that validate nothing else (`npm run bench -- handlers`). The payload is ours —
 * its MAC has already matched — so the check is a guard against our own mistakes, not a
 * parser of untrusted input, and the same rules as the schema had: strings, integer times,
 * and `w` absent or a non-empty array of strings. Unknown keys are dropped, as zod's object did.
 */
const claimsOf = (json: unknown): Claims | undefined => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { t, u, k, w, iat, exp, jti } = json as Record<string, unknown>;
  if (typeof t !== 'string' || typeof u !== 'string' || typeof k !== 'string' || typeof jti !== 'string') {
    return undefined;
  }
  if (!Number.isSafeInteger(iat) || !Number.isSafeInteger(exp)) return undefined;
  if (w !== undefined && !(Array.isArray(w) && w.length > 0 && w.every((x) => typeof x === 'string'))) {
    return undefined;
  }
  return {
    t,
    u,
    k,
    ...(w === undefined ? {} : { w: w as string[] }),
    iat: iat as number,
    exp: exp as number,
    jti,
  };
};

/** A token's workspaces: at most this many, so the token stays well within a header. */
export const MAX_TOKEN_WORKSPACES = 20;
/** Clock skew allowed on `iat` between the container that minted and the one verifying. */
const SKEW_SECONDS = 60;

const mac = (material: string, signed: string) =>
  createHmac('sha256', deriveKey(material, 'end-user-token')).update(signed).digest();

export const mintEndUserToken = async (
  minter: { tenantId: string; keyId: string },
  endUserId: string,
  ttlSeconds: number,
  workspaceIds?: readonly string[],
) => {
  const keys = await loadDataKeys();
  const now = Math.floor(Date.now() / 1000);
  const claims: Claims = {
    t: minter.tenantId,
    u: endUserId,
    k: minter.keyId,
    ...(workspaceIds?.length ? { w: [...new Set(workspaceIds)] } : {}),
    iat: now,
    exp: now + ttlSeconds,
    jti: randomBytes(9).toString('base64url'),
  };
  const signed = `${keys.current}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const token = `eut_${signed}.${mac(keys.material.get(keys.current) as string, signed).toString('base64url')}`;
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

/**
 * The claims of a valid, unexpired token; undefined for anything else (never throws). The
 * version must be one signatures verify with (current or previous), the MAC must match —
 * only then is the payload parsed — and `iat`/`exp` must describe a token this service could
 * have minted: issued no later than now (give or take the skew), living at most MAX_TTL_SECONDS.
 */
export const verifyEndUserToken = async (
  token: string,
  now = Date.now(),
): Promise<EndUserClaims | undefined> => {
  const m = /^eut_(\d{1,6})\.([A-Za-z0-9_-]{1,8000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const [, version, payload, signature] = m as unknown as [string, string, string, string];
  const keys = await loadDataKeysWith(version);
  const material = keys.material.get(version);
  if (!material || !signingVersions(keys).includes(version)) return undefined;
  const expected = mac(material, `${version}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const c = claimsOf(json);
  if (!c) return undefined;
  const seconds = now / 1000;
  if (c.exp <= seconds || c.iat > seconds + SKEW_SECONDS || c.exp - c.iat > MAX_TTL_SECONDS) return undefined;
  return {
    tenantId: c.t,
    endUserId: c.u,
    keyId: c.k,
    ...(c.w ? { workspaceIds: c.w } : {}),
    expiresAt: c.exp,
  };
};
