import * as z from 'zod/mini';
import type { HttpClient } from '../http';
import { parseAnswer } from '../parse';
import { type Repo, repo } from './mapping';
import { failure, followable, type tokenAuth } from './rest';

const userRepos = z.array(repo);
const installationRepos = z.object({ total_count: z.number(), repositories: z.array(repo) });

/**
 * The first listing page of the repositories the token can read: an installation's (in
 * GitHub's order), or the user's, oldest first — creation order does not move while a run
 * pages through it.
 */
export const listingUrl = (baseUrl: string, installation: boolean, perPage: number): string => {
  if (installation) return `${baseUrl}/installation/repositories?per_page=${perPage}`;
  const q = new URLSearchParams({ per_page: String(perPage), sort: 'created', direction: 'asc' });
  return `${baseUrl}/user/repos?${q}`;
};

/** One page of the repositories the credentials can read, and the next page's URL. */
export const listRepos = async (
  http: HttpClient,
  baseUrl: string,
  url: string,
  auth: ReturnType<typeof tokenAuth>,
): Promise<{ repos: Repo[]; next: string | undefined }> => {
  // https://docs.github.com/en/rest/repos/repos#list-repositories-for-the-authenticated-user
  // https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
  const res = await http(url, { headers: auth.headers });
  if (res.status !== 200) throw failure(res, `GitHub answered ${res.status}.`);
  const repos = auth.installation
    ? parseAnswer('GitHub', installationRepos, res, 'GET /installation/repositories').repositories
    : parseAnswer('GitHub', userRepos, res, 'GET /user/repos');
  return { repos, next: followable(res, baseUrl) };
};
