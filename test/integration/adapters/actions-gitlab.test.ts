import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { workItem } from '../../../adapters/models';
import { type GitLabFake, startGitLabFake } from '../../fakes/gitlab';
import { runAction } from './action-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

type Listed = { issues: Record<string, unknown>[]; next_cursor: string | null };

let gl: GitLabFake;
let seeded: number[];
const act = (action: string, input: Record<string, unknown>, credentials = gl.valid) =>
  runAction('gitlab', action, { credentials, baseUrl: gl.apiBaseUrl }, input);

beforeAll(async () => {
  gl = await startGitLabFake();
  seeded = gl.seedIssues(45, { project: 'acme/payments-api' });
  gl.addProject('acme/archive', { archived: true });
});
afterAll(() => gl.stop());

describe('gitlab list_issues', () => {
  it('pages through the open issues of a project, newest first, with cursor', async () => {
    const open = seeded.filter((id) => (gl.issue(id) as { state: string }).state === 'opened');
    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = (await act('list_issues', {
        project: 'acme/payments-api',
        per_page: 10,
        ...(cursor ? { cursor } : {}),
      })) as Listed;
      seen.push(...r.issues);
      cursor = r.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(open.length / 10));
    expect(seen.map((i) => i.id)).toEqual(open.map((id) => `gl_issue_${id}`).reverse());
    for (const { id: _, number, ...fields } of seen) {
      expect(workItem.safeParse(fields).success).toBe(true);
      expect(fields.status).toBe('open');
      expect(number).toEqual(expect.any(Number));
    }
  });

  it('filters by state and labels, and takes a numeric project id', async () => {
    const projectId = String(gl.project('acme/payments-api')?.id);
    const r = (await act('list_issues', {
      project: projectId,
      state: 'all',
      labels: ['p1'],
      per_page: 100,
    })) as Listed;
    const expected = seeded.filter((id) => {
      return (gl.issue(id) as { labels: string[] }).labels.includes('p1');
    });
    expect(r.issues.map((i) => i.id).sort()).toEqual(expected.map((id) => `gl_issue_${id}`).sort());
    expect(new Set(r.issues.map((i) => i.status)).size).toBeGreaterThan(1);
    expect(r.next_cursor).toBeNull();
  });

  it("an unknown project → rejected with GitLab's 404 message", async () => {
    await expectProviderError(act('list_issues', { project: 'acme/nope' }), 'rejected', {
      status: 404,
      message: '404 Project Not Found',
      secrets: secretsOf(gl.valid),
    });
  });

  it('rate limit → rate_limited with the wait; 5xx → unreachable; refusal → rejected', async () => {
    gl.failNext('rate_limit', 7);
    const e = await expectProviderError(
      act('list_issues', { project: 'acme/payments-api' }),
      'rate_limited',
      {
        status: 429,
      },
    );
    expect(e.retryAfterSeconds).toBe(7);
    gl.failNext('down');
    await expectProviderError(act('list_issues', { project: 'acme/payments-api' }), 'unreachable', {
      status: 500,
    });
    gl.failNext('refuse');
    await expectProviderError(act('list_issues', { project: 'acme/payments-api' }), 'rejected', {
      status: 403,
      message: '403 Forbidden',
    });
  });

  it('refuses input the schema does not allow', async () => {
    await expect(act('list_issues', { project: 'not a project' })).rejects.toThrow(/input refused/);
    await expect(act('list_issues', { project: 'acme/web', cursor: 'abc' })).rejects.toThrow(/input refused/);
  });
});

describe('gitlab create_issue', () => {
  it('creates the issue (201) and answers it in the model; GitLab holds it', async () => {
    const before = gl.requests.length;
    const r = (await act('create_issue', {
      project: 'acme/payments-api',
      title: 'Refunds fail for EUR',
      description: 'Seen since Monday.',
      labels: ['bug', 'payments'],
      due_date: '2025-10-01',
    })) as { issue: Record<string, unknown> };
    const { id, number, ...fields } = r.issue;
    expect(workItem.safeParse(fields).success).toBe(true);
    expect(fields).toMatchObject({
      title: 'Refunds fail for EUR',
      description: 'Seen since Monday.',
      status: 'open',
      raw_status: 'opened',
      labels: ['bug', 'payments'],
      project: 'acme/payments-api',
      due_date: '2025-10-01',
      url: `https://gitlab.com/acme/payments-api/-/issues/${number}`,
    });
    const held = gl.issue(Number(String(id).replace('gl_issue_', ''))) as Record<string, unknown>;
    expect(held).toMatchObject({ title: 'Refunds fail for EUR', labels: ['bug', 'payments'], iid: number });
    const call = gl.requests[before];
    expect(call).toMatchObject({ method: 'POST', path: '/api/v4/projects/acme%2Fpayments-api/issues' });
  });

  it("GitLab's field errors → rejected, as one readable message", async () => {
    await expectProviderError(
      act('create_issue', { project: 'acme/payments-api', title: '   ' }),
      'rejected',
      {
        status: 400,
        message: "title can't be blank",
      },
    );
  });

  it('an archived project, or a token without the api scope → rejected with the reason', async () => {
    await expectProviderError(act('create_issue', { project: 'acme/archive', title: 'x' }), 'rejected', {
      status: 403,
      message: '403 Forbidden',
    });
    await expectProviderError(
      act('create_issue', { project: 'acme/payments-api', title: 'x' }, gl.readOnly),
      'rejected',
      {
        status: 403,
        message: 'The request requires higher privileges than provided by the access token.',
        secrets: secretsOf(gl.readOnly),
      },
    );
    // The same token reads.
    const r = (await act('list_issues', { project: 'acme/payments-api' }, gl.readOnly)) as Listed;
    expect(r.issues.length).toBeGreaterThan(0);
  });

  it('rate limit → rate_limited; 5xx → unreachable', async () => {
    gl.failNext('rate_limit', 12);
    const e = await expectProviderError(
      act('create_issue', { project: 'acme/payments-api', title: 'x' }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(12);
    gl.failNext('down');
    await expectProviderError(
      act('create_issue', { project: 'acme/payments-api', title: 'x' }),
      'unreachable',
    );
  });

  it('declares its project field and what it writes', async () => {
    const actions = (await loadAdapter('gitlab'))?.manifest.actions ?? [];
    expect(actions.map((a) => [a.name, a.writes, a.projectField])).toEqual([
      ['create_issue', true, 'project'],
      ['list_issues', false, 'project'],
    ]);
  });
});
