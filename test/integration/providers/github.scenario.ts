import { expect } from 'vitest';
import { startGitHubFake } from '../../fakes/github';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * GitHub against its fake, connected with a classic personal access token (oauth2-shaped, as
 * sync-e2e connects): 104 repositories (two listing pages) — payments-api with 180 issues
 * and 40 pull requests among them (three issues pages), web with an issue or two and one pull
 * request of each kind (open, draft, merged, closed unmerged), wiki with issues turned off but
 * two pull requests, the user's own dotfiles, and 100 empty ones; 110 commits on payments-api's
 * default branch (and 5 on a feature branch) and 10 on web's.
 */
const scenario: ProviderScenario = {
  provider: 'github',
  start: async () => {
    const gh = await startGitHubFake();
    const payments = gh.seedIssues(180, { repo: 'acme-corp/payments-api', pullRequests: 40 });
    const web = gh.seedIssues(20, { repo: 'acme-corp/web' });
    for (const kind of ['open', 'draft', 'merged', 'closed'] as const) {
      gh.seedPullRequests(1, { repo: 'acme-corp/web', kind });
    }
    gh.addRepository('acme-corp/wiki', { hasIssues: false });
    gh.seedPullRequests(2, { repo: 'acme-corp/wiki' });
    const dotfiles = gh.seedIssues(5, { repo: 'octo-acme/dotfiles' });
    gh.seedRepositories(100);
    // Commits on the default branch: 110 (two pages) and 10; 5 on a branch the sync never reads.
    gh.seedCommits(110, { repo: 'acme-corp/payments-api' });
    gh.seedCommits(5, { repo: 'acme-corp/payments-api', branch: 'feature/checkout' });
    gh.seedCommits(10, { repo: 'acme-corp/web' });
    const firstIssue = gh.issue(payments[0] as number) as { number: number };

    return {
      stop: () => gh.stop(),
      integration: { provider: 'github', endpoints: { api_base_url: gh.apiBaseUrl } },
      connection: { credentials: gh.valid as Record<string, unknown> },
      syncs: {
        issues: { model: 'work_item', count: payments.length + web.length + dotfiles.length },
        pull_requests: { model: 'pull_request', count: 40 + 4 + 2 },
        repositories: { model: 'repository', count: 104 },
        commits: { model: 'commit', count: 110 + 10 },
      },
      actions: {
        list_repos: {
          input: { per_page: 50 },
          check: (data: Json) => {
            expect(data.repositories).toHaveLength(50);
            expect(data.repositories[0]).toMatchObject({
              id: 'gh_repo_1296269',
              full_name: 'acme-corp/payments-api',
              url: 'https://github.com/acme-corp/payments-api',
              private: true,
              archived: false,
            });
            expect(data.next_cursor).toBe('2');
          },
        },
        list_issues: {
          input: { repo: 'acme-corp/payments-api', state: 'all', per_page: 100 },
          check: (data: Json) => {
            const known = new Set(payments.map((id) => `gh_issue_${id}`));
            // Pull requests share the page: fewer than 100 issues, every one an issue.
            expect(data.issues.length).toBeGreaterThan(50);
            expect(data.issues.length).toBeLessThan(100);
            for (const i of data.issues) {
              expect(known.has(i.id), i.id).toBe(true);
              expect(i.project).toBe('acme-corp/payments-api');
              expect(i.number).toEqual(expect.any(Number));
            }
            expect(data.next_cursor).toBe('2');
          },
        },
        create_issue: {
          input: {
            repo: 'acme-corp/web',
            title: 'Checkout button misaligned',
            body: 'On Safari 17.',
            labels: ['bug'],
            assignees: ['hubot'],
          },
          check: (data: Json) => {
            const id = gh.issueIds('acme-corp/web').at(-1) as number;
            const created = gh.issue(id) as { number: number; title: string; html_url: string };
            expect(created.title).toBe('Checkout button misaligned');
            expect(data.issue).toEqual({
              id: `gh_issue_${id}`,
              number: created.number,
              title: 'Checkout button misaligned',
              description: 'On Safari 17.',
              status: 'open',
              raw_status: 'open',
              assignees: ['hubot'],
              labels: ['bug'],
              url: created.html_url,
              project: 'acme-corp/web',
              due_date: null,
              created_at: expect.any(String),
              updated_at: expect.any(String),
            });
          },
        },
        list_pull_requests: {
          input: { repo: 'acme-corp/web', state: 'all' },
          check: (data: Json) => {
            expect(data.pull_requests.map((p: Json) => [p.raw_status, p.status])).toEqual([
              ['closed', 'cancelled'],
              ['merged', 'done'],
              ['draft', 'in_progress'],
              ['open', 'open'],
            ]);
            expect(data.pull_requests[0]).toMatchObject({
              repository: 'acme-corp/web',
              target_branch: 'main',
              url: expect.stringMatching(/^https:\/\/github\.com\/acme-corp\/web\/pull\/\d+$/),
            });
            expect(data.next_cursor).toBeNull();
          },
        },
        comment_on_issue: {
          input: { repo: 'acme-corp/payments-api', issue_number: firstIssue.number, body: 'On it.' },
          check: (data: Json) => {
            const [posted] = gh.comments('acme-corp/payments-api', firstIssue.number);
            expect(posted).toMatchObject({ body: 'On it.', user: 'octo-acme' });
            expect(data.comment).toMatchObject({
              id: `gh_comment_${posted?.id}`,
              text: 'On it.',
              channel: 'acme-corp/payments-api',
              author: 'octo-acme',
              thread_id: `acme-corp/payments-api#${firstIssue.number}`,
            });
          },
        },
      },
      probe: 'list_issues',
      failNext: (kind, retryAfterSeconds = 60) => {
        if (kind === 'refuse') gh.refuseNext(1);
        else if (kind === 'down') gh.failNext(1, 502);
        // The secondary limit: 403 with retry-after (the primary one is tested in actions-github).
        else gh.rateLimitNext(1, retryAfterSeconds, { kind: 'secondary' });
      },
      refusalMessage: 'Resource not accessible by personal access token',
    };
  },
};

export default scenario;
