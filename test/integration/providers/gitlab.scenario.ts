import { expect } from 'vitest';
import { startGitLabFake } from '../../fakes/gitlab';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * GitLab against its fake, connected with a personal access token (PRIVATE-TOKEN): 104 member
 * projects (two keyset listing pages) — payments-api with 130 issues and 105 merge requests
 * (two pages of each), web with a few of each in every state, wiki with both features off,
 * the user's own dotfiles, and 100 empty ones — and a public project the user is no member of,
 * whose issues, merge requests and pipelines no sync reads; 140 pipelines in payments-api and 7
 * in web.
 */
const scenario: ProviderScenario = {
  provider: 'gitlab',
  start: async () => {
    const gl = await startGitLabFake();
    const payments = gl.seedIssues(130, { project: 'acme/payments-api' });
    const paymentsMrs = gl.seedMergeRequests(105, { project: 'acme/payments-api' });
    const web = gl.seedIssues(12, { project: 'acme/web' });
    const webMrs = gl.seedMergeRequests(6, { project: 'acme/web' });
    gl.addProject('acme/wiki', { issuesEnabled: false, mergeRequestsEnabled: false });
    const dotfiles = gl.seedIssues(4, { project: 'jdoe/dotfiles' });
    gl.seedProjects(100);
    gl.seedIssues(5, { project: 'gitlab-org/gitlab' });
    gl.seedMergeRequests(2, { project: 'gitlab-org/gitlab' });
    gl.addProject('gitlab-org/gitlab', { member: false, visibility: 'public' });
    // Pipelines: 140 in payments-api (two pages), 7 in web; none in the outsider's read.
    const pipelines = [
      ...gl.seedPipelines(140, { project: 'acme/payments-api' }),
      ...gl.seedPipelines(7, { project: 'acme/web' }),
    ];
    gl.seedPipelines(3, { project: 'gitlab-org/gitlab' });

    return {
      stop: () => gl.stop(),
      integration: { provider: 'gitlab', endpoints: { api_base_url: gl.apiBaseUrl } },
      connection: { credentials: gl.valid as Record<string, unknown> },
      syncs: {
        issues: { model: 'work_item', count: payments.length + web.length + dotfiles.length },
        merge_requests: { model: 'pull_request', count: paymentsMrs.length + webMrs.length },
        projects: { model: 'repository', count: 104 },
        pipelines: { model: 'pipeline_run', count: pipelines.length },
      },
      actions: {
        list_issues: {
          input: { project: 'acme/payments-api', state: 'all', per_page: 100 },
          check: (data: Json) => {
            const known = new Set(payments.map((id) => `gl_issue_${id}`));
            expect(data.issues).toHaveLength(100);
            for (const i of data.issues) {
              expect(known.has(i.id), i.id).toBe(true);
              expect(i.project).toBe('acme/payments-api');
              expect(i.number).toEqual(expect.any(Number));
            }
            // Newest first.
            expect(data.issues[0].id).toBe(`gl_issue_${payments.at(-1)}`);
            expect(data.next_cursor).toBe('2');
          },
        },
        create_issue: {
          input: {
            project: 'acme/web',
            title: 'Checkout button misaligned',
            description: 'On Safari 17.',
            labels: ['bug', 'ui'],
            due_date: '2025-12-01',
          },
          check: (data: Json) => {
            const id = gl.issueIds('acme/web').at(-1) as number;
            const created = gl.issue(id) as { iid: number; title: string; web_url: string };
            expect(created.title).toBe('Checkout button misaligned');
            expect(data.issue).toEqual({
              id: `gl_issue_${id}`,
              number: created.iid,
              title: 'Checkout button misaligned',
              description: 'On Safari 17.',
              status: 'open',
              raw_status: 'opened',
              assignees: [],
              labels: ['bug', 'ui'],
              url: created.web_url,
              project: 'acme/web',
              due_date: '2025-12-01',
              created_at: expect.any(String),
              updated_at: expect.any(String),
            });
          },
        },
      },
      probe: 'list_issues',
      failNext: (kind, retryAfterSeconds) => gl.failNext(kind, retryAfterSeconds),
      refusalMessage: '403 Forbidden',
    };
  },
};

export default scenario;
