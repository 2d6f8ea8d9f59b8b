import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import {
  type FakeReply,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * Jira Cloud for credential verification, both ways in:
 * - basic (email + API token) on the site: GET /rest/api/3/myself; a wrong token gets 401
 *   with an empty body and X-Seraph-LoginReason: AUTHENTICATED_FAILED, and after repeated
 *   failures Atlassian answers 403 with a CAPTCHA challenge in the headers;
 * - OAuth 2.0 (3LO) through the gateway: GET /oauth/token/accessible-resources, then
 *   /ex/jira/{cloudId}/rest/api/3/myself.
 * https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
 */

export type JiraFake = ProviderFake<Credentials> & {
  oauth: Credentials;
  cloudId: string;
  site: string;
  /** What to put in api_base_url for OAuth: the gateway URL with its `{cloud_id}` placeholder. */
  oauthBaseUrl: string;
  oauthScopes: string[];
  /** Atlassian's CAPTCHA lock after failed logins: basic auth answers 403. */
  setCaptcha(on: boolean): void;
};

export const startJiraFake = async (): Promise<JiraFake> => {
  const email = 'mia@acme.com';
  // Atlassian API tokens: ATATT3xFfGF0 + base64url-ish body + 8-hex checksum.
  const apiToken = `ATATT3xFfGF0${randomToken(180)}=${randomToken(8).toUpperCase()}`;
  const oauthToken = `eyJraWQiOiJmYWtlIn0.${randomToken(120)}.${randomToken(43)}`;
  const cloudId = randomUUID();
  const site = 'acme.atlassian.net';
  const oauthScopes = ['read:jira-work', 'write:jira-work', 'read:jira-user'];
  const me = {
    self: `https://${site}/rest/api/3/user?accountId=5b10ac8d82e05b22cc7d4ef5`,
    accountId: '5b10ac8d82e05b22cc7d4ef5',
    accountType: 'atlassian',
    emailAddress: email,
    displayName: 'Mia Krystof',
    active: true,
    timeZone: 'Europe/Berlin',
    locale: 'en_US',
  };
  let captcha = false;
  const traced = (r: FakeReply): FakeReply => ({
    ...r,
    headers: { 'x-arequestid': randomUUID(), 'atl-traceid': randomUUID().replaceAll('-', ''), ...r.headers },
  });

  const server = await startFakeServer(
    (req) => {
      const auth = req.headers.authorization ?? '';
      if (req.method === 'GET' && req.path === '/rest/api/3/myself') {
        const basic = /^Basic (\S+)$/.exec(auth)?.[1];
        if (!basic) {
          return traced(
            reply(401, {
              errorMessages: [
                'You are not authenticated. Authentication required to perform this operation.',
              ],
              errors: {},
            }),
          );
        }
        if (captcha) {
          return traced(
            reply(403, '<html><body>Forbidden</body></html>', {
              'content-type': 'text/html;charset=UTF-8',
              'x-seraph-loginreason': 'AUTHENTICATION_DENIED',
              'x-authentication-denied-reason': `CAPTCHA_CHALLENGE; login-url=https://${site}/login.jsp`,
            }),
          );
        }
        if (Buffer.from(basic, 'base64').toString('utf8') !== `${email}:${apiToken}`) {
          return traced(
            reply(401, '', {
              'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
              'www-authenticate': 'Basic realm="protected-area"',
            }),
          );
        }
        return traced(reply(200, me));
      }

      // The API gateway (api.atlassian.com) for OAuth tokens.
      const bearer = /^Bearer (\S+)$/.exec(auth)?.[1];
      const gatewayDenied = reply(401, { code: 401, message: 'Unauthorized' });
      if (req.method === 'GET' && req.path === '/oauth/token/accessible-resources') {
        if (bearer !== oauthToken) return traced(gatewayDenied);
        return traced(
          reply(200, [
            {
              id: cloudId,
              url: `https://${site}`,
              name: 'acme',
              scopes: oauthScopes,
              avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/rocket.png',
            },
          ]),
        );
      }
      const gateway = /^\/ex\/jira\/([^/]+)\/rest\/api\/3\/myself$/.exec(req.path);
      if (req.method === 'GET' && gateway) {
        if (bearer !== oauthToken)
          return traced(reply(401, { code: 401, message: 'Unauthorized; scope does not match' }));
        if (gateway[1] !== cloudId) return traced(reply(404, { code: 404, message: 'Not Found' }));
        return traced(reply(200, me));
      }
      return traced(reply(404, { errorMessages: ['Not found'], errors: {} }));
    },
    // Atlassian's edge answers an outage with an HTML page.
    reply(503, '<html><head><title>Atlassian Cloud Notifications - Page Unavailable</title></head></html>', {
      'content-type': 'text/html;charset=UTF-8',
    }),
  );

  return {
    ...server,
    apiBaseUrl: server.url,
    oauthBaseUrl: `${server.url}/ex/jira/{cloud_id}`,
    valid: registerSecrets({ type: 'basic', username: email, password: apiToken }),
    oauth: { type: 'oauth2', access_token: oauthToken },
    account: { id: me.accountId, name: me.displayName },
    cloudId,
    site,
    oauthScopes,
    setCaptcha: (on) => {
      captcha = on;
    },
  };
};
