import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { AppInstallFunctions } from '../types';
import { checkInstallationId } from './app-jwt';
import { baseHeaders, failure, followable } from './rest';

const page = z.object({
  total_count: z.number(),
  installations: z.array(z.object({ id: z.number() })),
});

// 100 a page (GitHub's maximum) × 20 pages: a person with access to more installations of one
// app than that is not someone a connect flow should wait on; they are refused, not guessed.
const PER_PAGE = 100;
const MAX_PAGES = 20;

/**
 * Whether the person behind a GitHub-App user token can access an installation: GitHub lists
 * the app's installations the user has explicit permission to access (repositories they own,
 * collaborate on, or reach through an organization). The install callback's `installation_id`
 * is only a query parameter anyone can write, so GitHub says to check it this way.
 * https://docs.github.com/en/apps/creating-github-apps/setting-up-a-github-app/about-the-setup-url
 */
export const userCanAccessInstallation: AppInstallFunctions['userCanAccessInstallation'] = async (ctx) => {
  checkInstallationId(ctx.installationId);
  const wanted = Number(ctx.installationId);
  // https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token
  let url: string | undefined = `${ctx.baseUrl}/user/installations?per_page=${PER_PAGE}`;
  for (let n = 0; url !== undefined && n < MAX_PAGES; n++) {
    const res = await ctx.http(url, {
      headers: { ...baseHeaders, authorization: `Bearer ${ctx.userToken}` },
    });
    if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
    const body = parseAnswer('GitHub', page, res, 'GET /user/installations');
    if (body.installations.some((i) => i.id === wanted)) return true;
    url = followable(res, ctx.baseUrl);
  }
  if (url !== undefined) {
    throw new ProviderError(
      'rejected',
      `The user can access more than ${PER_PAGE * MAX_PAGES} installations of this GitHub App; not looking further.`,
    );
  }
  return false;
};
