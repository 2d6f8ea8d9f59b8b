import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { IntegrationSettings, VerifiedAccount, VerifyContext } from '../types';
import { appJwt, checkInstallationId } from './app-jwt';
import { baseHeaders, failure, messageOf, permissionScopes } from './rest';

const user = z.object({ id: z.number(), login: z.string(), type: z.optional(z.string()) });

const installation = z.object({
  id: z.number(),
  // Null for enterprise installations of some apps; organizations and users carry `login`,
  // enterprises `slug` and `name`.
  account: z.nullable(
    z.object({
      id: z.number(),
      login: z.optional(z.string()),
      slug: z.optional(z.string()),
      name: z.optional(z.nullable(z.string())),
    }),
  ),
  target_type: z.optional(z.string()),
  repository_selection: z.optional(z.string()),
  permissions: z.optional(z.record(z.string(), z.string())),
  suspended_at: z.optional(z.nullable(z.string())),
});

const verifyToken = async (ctx: VerifyContext, token: string): Promise<VerifiedAccount> => {
  // https://docs.github.com/en/rest/users/users#get-the-authenticated-user
  const res = await ctx.http(`${ctx.baseUrl}/user`, {
    headers: { ...baseHeaders, authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  const me = parseAnswer('GitHub', user, res, 'GET /user');
  // Classic tokens list their scopes here (empty when they have none); fine-grained tokens
  // and GitHub-App user tokens have no scopes, and GitHub leaves the header out.
  // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
  const header = res.headers.get('x-oauth-scopes');
  return {
    account: { id: String(me.id), name: me.login },
    ...(header !== null
      ? {
          scopes: header
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(me.type ? { metadata: { account_type: me.type } } : {}),
  };
};

const requireApp = (integration: IntegrationSettings) => {
  const app = integration.app;
  if (!app?.appId || !app.privateKey) {
    throw new ProviderError(
      'rejected',
      'GitHub app installations need the integration to be set up with its GitHub App id and private key.',
    );
  }
  return { appId: app.appId, privateKey: app.privateKey };
};

const verifyInstallation = async (ctx: VerifyContext, installationId: string): Promise<VerifiedAccount> => {
  checkInstallationId(installationId);
  const jwt = appJwt(requireApp(ctx.integration));
  // https://docs.github.com/en/rest/apps/apps#get-an-installation-for-the-authenticated-app
  const res = await ctx.http(`${ctx.baseUrl}/app/installations/${installationId}`, {
    headers: { ...baseHeaders, authorization: `Bearer ${jwt}` },
  });
  if (res.status === 404) {
    const message = messageOf(res, 'Not Found');
    throw new ProviderError(
      'rejected',
      `GitHub App installation ${installationId} not found (GitHub: ${message}).`,
      { status: 404 },
    );
  }
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  const inst = parseAnswer('GitHub', installation, res, 'GET /app/installations/{id}');
  if (inst.suspended_at) {
    throw new ProviderError('rejected', `GitHub App installation ${installationId} is suspended.`, {
      status: 200,
    });
  }
  const login = inst.account?.login ?? inst.account?.slug ?? inst.account?.name ?? `installation ${inst.id}`;
  const metadata: Record<string, string> = { installation_id: String(inst.id) };
  if (inst.target_type) metadata.target_type = inst.target_type;
  if (inst.repository_selection) metadata.repository_selection = inst.repository_selection;
  return {
    account: { id: String(inst.account?.id ?? inst.id), name: login },
    ...(inst.permissions ? { scopes: permissionScopes(inst.permissions) } : {}),
    metadata,
  };
};

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  switch (c.type) {
    case 'oauth2':
      return verifyToken(ctx, c.access_token);
    case 'app_install':
      return verifyInstallation(ctx, c.installation_id);
    default:
      throw new ProviderError('rejected', `GitHub does not accept ${c.type} credentials.`);
  }
};
