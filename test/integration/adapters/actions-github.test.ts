import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import type { Credentials } from '../../../adapters';
import { modelSchemas } from '../../../adapters/models';
import { type GitHubFake, startGitHubFake } from '../../fakes/github';
import { randomToken } from '../../fakes/server';
import { runAction } from './action-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

type Item = Record<string, unknown> & { id: string };
type Listed<K extends string> = Record<K, Item[]> & { next_cursor: string | null };

/** Each listed object valid for its model, strictly, once `id` (and an issue's `number`) are set aside. */
const expectModel = (items: Item[], model: keyof typeof modelSchemas) => {
  for (const { id, ...fields } of items) {
    const { number: _, ...data } = fields;
    const parsed = z.strictObject(modelSchemas[model].shape).safeParse(model === 'work_item' ? data : fields);
    expect(parsed.success, `${id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
  }
};

let gh: GitHubFake;
let issueIds: number[];
const act = (action: string, input: Record<string, unknown>, credentials?: Credentials) =>
  runAction('github', action, { credentials: credentials ?? gh.valid, baseUrl: gh.apiBaseUrl }, input);

/** Every page of a list action, following next_cursor. */
const allPages = async <K extends string>(action: string, key: K, input: Record<string, unknown>) => {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = (await act(action, cursor ? { ...input, cursor } : input)) as Listed<K>;
    items.push(...page[key]);
    cursor = page.next_cursor;
    pages++;
  } while (cursor !== null && pages < 50);
  return { items, pages };
};

beforeAll(async () => {
  gh = await startGitHubFake();
  // payments-api: 70 issues and 20 pull requests among them; web: 45 pull requests of its own.
  issueIds = gh.seedIssues(70, { repo: 'payments-api', pullRequests: 20 });
  gh.seedPullRequests(45, { repo: 'acme-corp/web' });
  gh.addRepository('acme-corp/wiki', { hasIssues: false });
  gh.addRepository('acme-corp/legacy', { archived: true });
});
afterAll(() => gh.stop());

describe('github list_repos', () => {
  it('lists the repositories page by page with next_cursor', async () => {
    const { items, pages } = await allPages('list_repos', 'repositories', { per_page: 2 });
    expect(pages).toBe(2);
    expectModel(items, 'repository');
    expect(items.map((r) => r.full_name).sort()).toEqual([
      'acme-corp/legacy',
      'acme-corp/payments-api',
      'acme-corp/web',
      'acme-corp/wiki',
    ]);
    expect(items.find((r) => r.full_name === 'acme-corp/legacy')).toMatchObject({ archived: true });
    expect(items[0]?.id).toMatch(/^gh_repo_\d+$/);
  });

  it("refuses an unknown token with GitHub's message, never echoing it", async () => {
    const wrong: Credentials = { type: 'oauth2', access_token: `ghp_${randomToken(36)}` };
    await expectProviderError(act('list_repos', {}, wrong), 'rejected', {
      message: 'Bad credentials',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });
});

describe('github list_issues', () => {
  it('lists issues only (pull requests left out), every page once, with their numbers', async () => {
    const { items } = await allPages('list_issues', 'issues', {
      repo: 'acme-corp/payments-api',
      state: 'all',
      per_page: 25,
    });
    expectModel(items, 'work_item');
    expect(items.map((i) => i.id).sort()).toEqual(issueIds.map((id) => `gh_issue_${id}`).sort());
    const raw = gh.issue(issueIds[0] as number) as { number: number; title: string };
    expect(items.find((i) => i.id === `gh_issue_${issueIds[0]}`)).toMatchObject({
      number: raw.number,
      title: raw.title,
      project: 'acme-corp/payments-api',
    });
  });

  it("filters by state (GitHub's default: open) and by labels (all of them)", async () => {
    const open = await allPages('list_issues', 'issues', { repo: 'acme-corp/payments-api', per_page: 100 });
    expect(open.items.length).toBeGreaterThan(0);
    expect(open.items.every((i) => i.status === 'open')).toBe(true);
    const closed = await allPages('list_issues', 'issues', {
      repo: 'acme-corp/payments-api',
      state: 'closed',
    });
    expect(closed.items.every((i) => i.status === 'done' || i.status === 'cancelled')).toBe(true);
    expect(open.items.length + closed.items.length).toBe(issueIds.length);

    const labelled = await allPages('list_issues', 'issues', {
      repo: 'acme-corp/payments-api',
      state: 'all',
      labels: ['bug', 'p1'],
    });
    expect(labelled.items.length).toBeGreaterThan(0);
    for (const i of labelled.items) expect(i.labels).toEqual(expect.arrayContaining(['bug', 'p1']));
    const expected = issueIds.filter((id) => {
      const names = (gh.issue(id) as { labels: { name: string }[] }).labels.map((l) => l.name);
      return names.includes('bug') && names.includes('p1');
    });
    expect(labelled.items.map((i) => i.id).sort()).toEqual(expected.map((id) => `gh_issue_${id}`).sort());
  });

  it('an unknown repository → rejected Not Found (404); issues disabled → rejected (410)', async () => {
    await expectProviderError(act('list_issues', { repo: 'acme-corp/nope' }), 'rejected', {
      message: 'Not Found',
      status: 404,
    });
    await expectProviderError(act('list_issues', { repo: 'acme-corp/wiki' }), 'rejected', {
      message: 'Issues are disabled for this repo',
      status: 410,
    });
  });
});

describe('github create_issue', () => {
  it('creates the issue (201) and answers it mapped, with its number', async () => {
    const before = gh.issueIds('payments-api').length;
    const data = (await act('create_issue', {
      repo: 'acme-corp/payments-api',
      title: 'Refunds fail for EUR',
      body: 'Seen on 3 orders.',
      labels: ['bug', 'payments'],
      assignees: ['hubot'],
    })) as { issue: Item };
    expectModel([data.issue], 'work_item');
    expect(data.issue).toMatchObject({
      title: 'Refunds fail for EUR',
      description: 'Seen on 3 orders.',
      status: 'open',
      raw_status: 'open',
      labels: ['bug', 'payments'],
      assignees: ['hubot'],
      project: 'acme-corp/payments-api',
      due_date: null,
    });
    const ids = gh.issueIds('payments-api');
    expect(ids.length).toBe(before + 1);
    const created = gh.issue(ids.at(-1) as number) as { number: number; title: string; html_url: string };
    expect(data.issue.id).toBe(`gh_issue_${ids.at(-1)}`);
    expect(data.issue.number).toBe(created.number);
    expect(data.issue.url).toBe(created.html_url);
    expect(created.title).toBe('Refunds fail for EUR');
  });

  it("422 validation → rejected with GitHub's message and what failed", async () => {
    await expectProviderError(
      act('create_issue', { repo: 'acme-corp/payments-api', title: 'x', assignees: ['nobody-here'] }),
      'rejected',
      { message: 'Validation Failed (assignees: invalid "nobody-here")', status: 422 },
    );
  });

  it('404 unknown repository, 410 issues disabled, 403 archived → rejected; nothing created', async () => {
    const before = gh.issueIds().length;
    await expectProviderError(act('create_issue', { repo: 'acme-corp/nope', title: 'x' }), 'rejected', {
      message: 'Not Found',
      status: 404,
    });
    await expectProviderError(act('create_issue', { repo: 'acme-corp/wiki', title: 'x' }), 'rejected', {
      message: 'Issues are disabled for this repo',
      status: 410,
    });
    await expectProviderError(act('create_issue', { repo: 'acme-corp/legacy', title: 'x' }), 'rejected', {
      message: 'Repository was archived so is read-only.',
      status: 403,
    });
    expect(gh.issueIds().length).toBe(before);
  });
});

describe('github list_pull_requests', () => {
  it('lists pull requests mapped, every page once', async () => {
    const { items, pages } = await allPages('list_pull_requests', 'pull_requests', {
      repo: 'acme-corp/web',
      state: 'all',
      per_page: 20,
    });
    expect(pages).toBe(3);
    expectModel(items, 'pull_request');
    expect(items.map((p) => p.id).sort()).toEqual(
      gh
        .pullRequestIds('acme-corp/web')
        .map((id) => `gh_pr_${id}`)
        .sort(),
    );
    for (const s of ['open', 'in_progress', 'done', 'cancelled']) {
      expect(
        items.some((p) => p.status === s),
        s,
      ).toBe(true);
    }
    const id = gh.pullRequestIds('acme-corp/web')[0] as number;
    const raw = gh.pullRequest(id) as { number: number; head: { ref: string }; base: { ref: string } };
    expect(items.find((p) => p.id === `gh_pr_${id}`)).toMatchObject({
      number: raw.number,
      repository: 'acme-corp/web',
      source_branch: raw.head.ref,
      target_branch: raw.base.ref,
    });
  });

  it('state open (the default) leaves closed and merged ones out; unknown repository → rejected', async () => {
    const { items } = await allPages('list_pull_requests', 'pull_requests', { repo: 'acme-corp/web' });
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((p) => p.status === 'open' || p.status === 'in_progress')).toBe(true);
    await expectProviderError(act('list_pull_requests', { repo: 'acme-corp/nope' }), 'rejected', {
      message: 'Not Found',
      status: 404,
    });
  });
});

describe('github comment_on_issue', () => {
  it('comments on an issue and on a pull request (201), answered as a message', async () => {
    const issue = gh.issue(issueIds[2] as number) as { number: number };
    const data = (await act('comment_on_issue', {
      repo: 'acme-corp/payments-api',
      issue_number: issue.number,
      body: 'Looking into it.',
    })) as { comment: Item };
    expectModel([data.comment], 'message');
    expect(data.comment).toMatchObject({
      text: 'Looking into it.',
      channel: 'acme-corp/payments-api',
      author: 'octo-acme',
      thread_id: `acme-corp/payments-api#${issue.number}`,
    });
    expect(data.comment.id).toMatch(/^gh_comment_\d+$/);
    expect(String(data.comment.url)).toContain(`/issues/${issue.number}#issuecomment-`);
    expect(gh.comments('acme-corp/payments-api', issue.number)).toEqual([
      { id: Number(data.comment.id.replace('gh_comment_', '')), body: 'Looking into it.', user: 'octo-acme' },
    ]);

    const pr = gh.pullRequest(gh.pullRequestIds('acme-corp/web')[0] as number) as { number: number };
    await act('comment_on_issue', { repo: 'acme-corp/web', issue_number: pr.number, body: 'LGTM' });
    expect(gh.comments('acme-corp/web', pr.number).map((c) => c.body)).toEqual(['LGTM']);
  });

  it('an unknown issue number or repository → rejected Not Found (404)', async () => {
    await expectProviderError(
      act('comment_on_issue', { repo: 'acme-corp/payments-api', issue_number: 99999, body: 'hi' }),
      'rejected',
      { message: 'Not Found', status: 404 },
    );
    await expectProviderError(
      act('comment_on_issue', { repo: 'acme-corp/nope', issue_number: 1, body: 'hi' }),
      'rejected',
      { message: 'Not Found', status: 404 },
    );
  });
});

describe('github actions: rate limits, outages, refusals', () => {
  const inputs: Record<string, Record<string, unknown>> = {
    list_repos: {},
    list_issues: { repo: 'acme-corp/payments-api' },
    create_issue: { repo: 'acme-corp/payments-api', title: 'Rate limited?' },
    list_pull_requests: { repo: 'acme-corp/web' },
    comment_on_issue: { repo: 'acme-corp/payments-api', issue_number: 1, body: 'hi' },
  };

  it.each(Object.keys(inputs))(
    '%s: primary limit (403, x-ratelimit-remaining 0) → rate_limited until the reset',
    async (action) => {
      gh.rateLimitNext(1, 120);
      const e = await expectProviderError(act(action, inputs[action] ?? {}), 'rate_limited', {
        status: 403,
        message: /API rate limit exceeded/,
        secrets: secretsOf(gh.valid),
      });
      expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(119);
      expect(e.retryAfterSeconds).toBeLessThanOrEqual(121);
    },
  );

  it.each(Object.keys(inputs))(
    '%s: secondary limit (403 and 429 with retry-after) → rate_limited for retry-after',
    async (action) => {
      gh.rateLimitNext(1, 42, { kind: 'secondary' });
      const e403 = await expectProviderError(act(action, inputs[action] ?? {}), 'rate_limited', {
        status: 403,
        message: /secondary rate limit/,
      });
      expect(e403.retryAfterSeconds).toBe(42);
      gh.rateLimitNext(1, 7, { kind: 'secondary', status: 429 });
      const e429 = await expectProviderError(act(action, inputs[action] ?? {}), 'rate_limited', {
        status: 429,
      });
      expect(e429.retryAfterSeconds).toBe(7);
    },
  );

  it.each(Object.keys(inputs))(
    "%s: 5xx → unreachable; a refusal → rejected with GitHub's message",
    async (action) => {
      gh.failNext(1, 502);
      await expectProviderError(act(action, inputs[action] ?? {}), 'unreachable', { status: 502 });
      gh.refuseNext(1);
      await expectProviderError(act(action, inputs[action] ?? {}), 'rejected', {
        status: 403,
        message: 'Resource not accessible by personal access token',
      });
    },
  );

  it('writes nothing when refused or limited', async () => {
    const before = gh.issueIds().length;
    gh.rateLimitNext(1, 5, { kind: 'secondary' });
    await expectProviderError(act('create_issue', inputs.create_issue ?? {}), 'rate_limited');
    gh.failNext(1, 503);
    await expectProviderError(act('create_issue', inputs.create_issue ?? {}), 'unreachable');
    expect(gh.issueIds().length).toBe(before);
    expect(gh.comments('acme-corp/payments-api', 1)).toEqual([]);
  });
});
