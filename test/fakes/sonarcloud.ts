import type { Credentials } from '../../adapters/types';
import {
  type FakeReply,
  type ProviderFake,
  randomHex,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';
import { type SonarCloudOrg, sonarCloudOrg, sonarErrors } from './sonarcloud-org';

/**
 * SonarQube Cloud's Web API for credential verification, token as Bearer:
 * GET /api/authentication/validate answers 200 {"valid": …} whatever the token (true for
 * anonymous callers too), GET /api/users/current {"isLoggedIn": …} for anonymous callers
 * and 401 for an unknown token.
 * https://docs.sonarsource.com/sonarqube-cloud/advanced-setup/web-api
 *
 * The organizations `acme` and `acme-oss` (the user is a member of both) and `globex` (not),
 * with projects and gates from sonarcloud-org.ts; their calls need a known token (401 with
 * an empty body otherwise). Rate limits are 429, documented with no header ("wait a few
 * minutes").
 */

export type SonarCloudFakeOptions = {
  /**
   * Serve a Bearer caller as anonymous, as SonarQube Server did before 10.0 (tokens went as
   * the basic-auth login): validate still says valid, users/current says not logged in.
   */
  ignoreBearer?: boolean;
};

export type SonarCloudFailure = 'refuse' | 'down' | 'rate_limit';

/** The message of failNext('refuse'): a project the user may not browse. */
export const SONARCLOUD_REFUSAL = 'Insufficient privileges';

export type SonarCloudFake = ProviderFake<Credentials> &
  Omit<SonarCloudOrg, 'handle'> & {
    /**
     * The next request (any endpoint) answers: `refuse` 403 SONARCLOUD_REFUSAL, `down` 503,
     * `rate_limit` 429 — with Retry-After only when `retryAfterSeconds` is given.
     */
    failNext(kind: SonarCloudFailure, retryAfterSeconds?: number): void;
  };

export const startSonarCloudFake = async (options: SonarCloudFakeOptions = {}): Promise<SonarCloudFake> => {
  // SonarQube Cloud user tokens: 40 hex characters.
  const token = randomHex(40);
  const user = {
    isLoggedIn: true,
    login: 'kwame-osei@github',
    name: 'Kwame Osei',
    email: 'kwame@acme.com',
    local: false,
    externalIdentity: 'kwame-osei',
    externalProvider: 'github',
    groups: [],
    permissions: { global: [] },
    avatar: 'b5a9fc1d3e7d0e2c9a8f9f0c2b8e6c41',
    homepage: { type: 'MY_PROJECTS' },
  };

  const org = sonarCloudOrg();
  org.addOrganization('acme', { name: 'Acme Corp' });
  org.addOrganization('acme-oss', { name: 'Acme Open Source' });
  org.addOrganization('globex', { name: 'Globex', member: false });
  const failures: { kind: SonarCloudFailure; retryAfter: number | undefined }[] = [];
  const down = reply(503, '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>', {
    'content-type': 'text/html',
  });
  const fault = (kind: SonarCloudFailure, retryAfter: number | undefined): FakeReply => {
    if (kind === 'refuse') return sonarErrors(403, SONARCLOUD_REFUSAL);
    if (kind === 'down') return down;
    const limited = sonarErrors(429, 'Too many requests');
    return retryAfter === undefined
      ? limited
      : { ...limited, headers: { 'retry-after': String(retryAfter) } };
  };

  const server = await startFakeServer((req) => {
    const failure = failures.shift();
    if (failure) return fault(failure.kind, failure.retryAfter);
    const bearer = options.ignoreBearer
      ? undefined
      : /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const anonymous = bearer === undefined;
    const known = bearer === token;
    if (req.method === 'GET' && req.path === '/api/authentication/validate') {
      return reply(200, { valid: anonymous || known });
    }
    if (req.method === 'GET' && req.path === '/api/users/current') {
      if (anonymous) return reply(200, { isLoggedIn: false, permissions: { global: [] } });
      if (!known) return reply(401, '');
      return reply(200, user);
    }
    const data = known ? org.handle(req) : undefined;
    if (data) return data;
    if (!known && req.path.startsWith('/api/')) return reply(401, '');
    return reply(404, { errors: [{ msg: `Unknown url : ${req.path}` }] });
  }, down);

  const { handle: _, ...data } = org;
  return {
    ...server,
    ...data,
    apiBaseUrl: server.url,
    failNext: (kind, retryAfterSeconds) => {
      failures.push({ kind, retryAfter: retryAfterSeconds });
    },
    valid: registerSecrets({ type: 'api_key', api_key: token }),
    account: { id: user.login, name: user.name },
  };
};
