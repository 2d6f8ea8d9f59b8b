import type { HttpClient } from '../http';
import { parseAnswer } from '../parse';
import type { Credentials } from '../types';
import { type Repo, repo } from './mapping';
import { authHeaders, failure, nextPath, paged } from './rest';

/**
 * The repository listing the repositories sync, the pull requests sync and list_repos share: the
 * repositories the user is a member of, or those of one workspace, oldest first, one page a call.
 */

const REPOS_PER_PAGE = 100;

const repoPage = paged(repo);

type Call = { baseUrl: string; http: HttpClient; credentials: Credentials };

/** The first page (a path relative to the base URL); `workspace` or `config.workspace` narrows it. */
export const firstListing = (
  config: Record<string, unknown>,
  workspace?: string,
  pagelen = REPOS_PER_PAGE,
): string => {
  const ws =
    workspace ?? (typeof config.workspace === 'string' && config.workspace ? config.workspace : undefined);
  const q = { pagelen: String(pagelen), sort: 'created_on' };
  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-workspace-get
  if (ws !== undefined) return `/repositories/${encodeURIComponent(ws)}?${new URLSearchParams(q)}`;
  // `role=member`: repositories the user has explicit read access to, not every public one.
  // https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/#api-repositories-get
  return `/repositories?${new URLSearchParams({ role: 'member', ...q })}`;
};

/** One page of the listing at `path`, and the path of the next one. */
export const listRepos = async (call: Call, path: string): Promise<{ repos: Repo[]; next?: string }> => {
  const res = await call.http(`${call.baseUrl}${path}`, { headers: authHeaders(call.credentials) });
  if (res.status !== 200) throw failure(res);
  const page = parseAnswer('Bitbucket', repoPage, res, 'GET /repositories');
  const next = nextPath(call.baseUrl, page.next);
  return next === undefined ? { repos: page.values } : { repos: page.values, next };
};
