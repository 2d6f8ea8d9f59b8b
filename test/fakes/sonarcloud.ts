import type { Credentials } from '../../adapters/types';
import { type ProviderFake, randomHex, registerSecrets, reply, startFakeServer } from './server';

/**
 * SonarQube Cloud's Web API for credential verification, token as Bearer:
 * GET /api/authentication/validate answers 200 {"valid": …} whatever the token (true for
 * anonymous callers too), GET /api/users/current {"isLoggedIn": …} for anonymous callers
 * and 401 for an unknown token.
 * https://docs.sonarsource.com/sonarqube-cloud/advanced-setup/web-api
 */

export type SonarCloudFakeOptions = {
  /**
   * Serve a Bearer caller as anonymous, as SonarQube Server did before 10.0 (tokens went as
   * the basic-auth login): validate still says valid, users/current says not logged in.
   */
  ignoreBearer?: boolean;
};

export type SonarCloudFake = ProviderFake<Credentials>;

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

  const server = await startFakeServer(
    (req) => {
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
      return reply(404, { errors: [{ msg: `Unknown url : ${req.path}` }] });
    },
    reply(503, '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>', {
      'content-type': 'text/html',
    }),
  );

  return {
    ...server,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: token }),
    account: { id: user.login, name: user.name },
  };
};
