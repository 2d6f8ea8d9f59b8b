import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { AppInstallFunctions } from '../types';
import { appJwt, checkInstallationId } from './app-jwt';
import { baseHeaders, failure, messageOf, permissionScopes } from './rest';
import { userCanAccessInstallation } from './user-installations';

const accessToken = z.object({
  token: z.string().check(z.minLength(1)),
  expires_at: z.string(),
  permissions: z.optional(z.record(z.string(), z.string())),
  repository_selection: z.optional(z.string()),
});

/**
 * An installation access token: signed in as the app (its JWT), GitHub answers 201 with a
 * token good for one hour, acting with the installation's permissions on its repositories.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation
 */
export const appInstall: AppInstallFunctions = {
  userCanAccessInstallation,
  mintInstallationToken: async (ctx) => {
    checkInstallationId(ctx.installationId);
    const jwt = appJwt(ctx.app);
    // https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app
    const res = await ctx.http(`${ctx.baseUrl}/app/installations/${ctx.installationId}/access_tokens`, {
      method: 'POST',
      headers: { ...baseHeaders, authorization: `Bearer ${jwt}` },
    });
    if (res.status === 404) {
      throw new ProviderError(
        'rejected',
        `GitHub App installation ${ctx.installationId} not found (GitHub: ${messageOf(res, 'Not Found')}).`,
        { status: 404 },
      );
    }
    // A suspended installation is a 403 that no rate-limit header explains: a refusal for as
    // long as the account keeps it suspended.
    if (res.status === 403 && /suspended/i.test(messageOf(res, ''))) {
      throw new ProviderError(
        'rejected',
        `GitHub App installation ${ctx.installationId} is suspended (GitHub: ${messageOf(res, '')}).`,
        { status: 403 },
      );
    }
    if (res.status !== 201) throw failure(res, `GitHub answered ${res.status}.`);
    const body = parseAnswer('GitHub', accessToken, res, 'POST /app/installations/{id}/access_tokens');
    const expiresAt = new Date(body.expires_at);
    if (Number.isNaN(expiresAt.getTime())) {
      throw new ProviderError('unreachable', 'GitHub answered an installation token without a valid expiry.');
    }
    return {
      accessToken: body.token,
      expiresAt: expiresAt.toISOString(),
      ...(body.permissions ? { scopes: permissionScopes(body.permissions) } : {}),
      metadata: {
        installation_id: ctx.installationId,
        ...(body.repository_selection ? { repository_selection: body.repository_selection } : {}),
      },
    };
  },
};
