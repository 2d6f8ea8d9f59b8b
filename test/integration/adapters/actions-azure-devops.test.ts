import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

let az: AzureDevOpsFake;
let prs: number[];

beforeAll(async () => {
  az = await startAzureDevOpsFake();
  az.addProject('Fabrikam');
  az.addRepo('Fabrikam', 'api');
  az.addRepo('Fabrikam', 'docs');
  prs = az.seedPullRequests('Fabrikam', 'api', 5);
  az.seedPullRequests('Fabrikam', 'docs', 2, { status: 'abandoned' });
});
afterAll(() => az.stop());

const call = () => ({ credentials: az.valid, baseUrl: az.apiBaseUrl, config: { organization: 'acme' } });

describe('azure_devops actions', () => {
  it('list_repos lists the organization’s repositories, or one project’s', async () => {
    const all = await runAction('azure_devops', 'list_repos', call(), {});
    expect((all.repositories as { full_name: string }[]).map((r) => r.full_name)).toEqual([
      'Fabrikam/api',
      'Fabrikam/docs',
    ]);
    expect(az.requests.at(-1)?.path).toBe('/acme/_apis/git/repositories');
  });

  it('list_pull_requests: active by default, newest first, $skip as the cursor', async () => {
    const first = await runAction('azure_devops', 'list_pull_requests', call(), {
      project: 'Fabrikam',
      limit: 3,
    });
    expect((first.pull_requests as { number: number }[]).map((p) => p.number)).toEqual(
      prs.slice(-3).reverse(),
    );
    expect(first.next_cursor).toBe('3');
    const second = await runAction('azure_devops', 'list_pull_requests', call(), {
      project: 'Fabrikam',
      limit: 3,
      cursor: '3',
    });
    expect((second.pull_requests as { number: number }[]).map((p) => p.number)).toEqual(
      prs.slice(0, 2).reverse(),
    );
    expect(second.next_cursor).toBeNull();
    const docs = await runAction('azure_devops', 'list_pull_requests', call(), {
      project: 'Fabrikam',
      repository: 'docs',
      status: 'all',
    });
    expect((docs.pull_requests as { status: string }[]).map((p) => p.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
  });

  it('comment_on_pull_request starts a thread; an unknown repository is TF401019', async () => {
    const data = await runAction('azure_devops', 'comment_on_pull_request', call(), {
      project: 'Fabrikam',
      repository: 'api',
      pull_request_id: prs[0],
      content: 'Please add a test.',
    });
    expect(az.threads(prs[0] as number)).toEqual([{ id: data.thread_id, content: 'Please add a test.' }]);
    expect(az.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/acme/Fabrikam/_apis/git/repositories/api/pullRequests/${prs[0]}/threads`,
    });
    await expectProviderError(
      runAction('azure_devops', 'comment_on_pull_request', call(), {
        project: 'Fabrikam',
        repository: 'nope',
        pull_request_id: 1,
        content: 'x',
      }),
      'rejected',
      { message: /^TF401019: The Git repository with name or identifier nope does not exist/, status: 404 },
    );
  });
});
