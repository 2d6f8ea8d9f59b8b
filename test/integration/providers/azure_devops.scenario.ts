import { expect } from 'vitest';
import { AZURE_REFUSAL, startAzureDevOpsFake } from '../../fakes/azure-devops';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Azure DevOps against its fake, connected with a personal access token (basic, any user name)
 * to the organization `acme`: Fabrikam with two repositories, 101 pull requests on `api` (two
 * pages of 100) in every status, drafts included, and 101 builds (two continuation pages);
 * Web with one repository, 3 pull requests and 2 builds, one of them still running; and an
 * empty project.
 */
const scenario: ProviderScenario = {
  provider: 'azure_devops',
  start: async () => {
    const az = await startAzureDevOpsFake();
    az.addProject('Fabrikam');
    az.addProject('Web');
    az.addProject('Empty', { visibility: 'public' });
    az.addRepo('Fabrikam', 'api');
    az.addRepo('Fabrikam', 'docs');
    az.addRepo('Web', 'site');
    const active = az.seedPullRequests('Fabrikam', 'api', 80);
    const drafts = az.seedPullRequests('Fabrikam', 'api', 6, { isDraft: true });
    const merged = az.seedPullRequests('Fabrikam', 'api', 10, { status: 'completed' });
    const abandoned = az.seedPullRequests('Fabrikam', 'api', 5, { status: 'abandoned' });
    const site = az.seedPullRequests('Web', 'site', 3);
    const builds = [
      ...az.seedBuilds('Fabrikam', 'api', 90),
      ...az.seedBuilds('Fabrikam', 'api', 11, { result: 'failed' }),
      ...az.seedBuilds('Web', 'site', 1),
      ...az.seedBuilds('Web', 'site', 1, { status: 'inProgress' }),
    ];
    const prCount = active.length + drafts.length + merged.length + abandoned.length + site.length;

    return {
      stop: () => az.stop(),
      integration: { provider: 'azure_devops', endpoints: { api_base_url: az.apiBaseUrl } },
      connection: { credentials: az.valid as Record<string, unknown>, config: { organization: 'acme' } },
      syncs: {
        repositories: { model: 'repository', count: 3 },
        pull_requests: { model: 'pull_request', count: prCount },
        pipeline_runs: { model: 'pipeline_run', count: builds.length },
      },
      actions: {
        list_repos: {
          input: { project: 'Fabrikam' },
          check: (data: Json) => {
            expect(data.repositories.map((r: Json) => r.full_name).sort()).toEqual([
              'Fabrikam/api',
              'Fabrikam/docs',
            ]);
            expect(data.repositories[0]).toMatchObject({
              default_branch: 'main',
              private: true,
              archived: false,
            });
          },
        },
        list_pull_requests: {
          input: { project: 'Fabrikam', repository: 'api', status: 'completed', limit: 10 },
          check: (data: Json) => {
            expect(data.pull_requests).toHaveLength(10);
            // Newest first.
            expect(data.pull_requests[0].number).toBe(merged.at(-1));
            for (const p of data.pull_requests) {
              expect(p).toMatchObject({
                status: 'done',
                raw_status: 'completed',
                repository: 'Fabrikam/api',
              });
              expect(p.merged_at).toEqual(expect.any(String));
            }
            expect(data.next_cursor).toBe('10');
          },
        },
        comment_on_pull_request: {
          input: {
            project: 'Web',
            repository: 'site',
            pull_request_id: site[0],
            content: 'Looks good to me.',
          },
          check: (data: Json) => {
            expect(az.threads(site[0] as number)).toEqual([
              { id: data.thread_id, content: 'Looks good to me.' },
            ]);
            expect(data.comment).toMatchObject({ content: 'Looks good to me.', author: 'Jane Doe' });
            expect(data.url).toBe(
              `${az.apiBaseUrl}/acme/Web/_git/site/pullrequest/${site[0]}?discussionId=${data.thread_id}`,
            );
          },
        },
      },
      probe: 'list_pull_requests',
      failNext: (kind, retryAfterSeconds) => az.failNext(kind, retryAfterSeconds),
      refusalMessage: AZURE_REFUSAL,
    };
  },
};

export default scenario;
