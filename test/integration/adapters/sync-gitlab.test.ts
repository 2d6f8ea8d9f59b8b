import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, SyncRecord } from '../../../adapters';
import { type GitLabFake, startGitLabFake } from '../../fakes/gitlab';
import { randomToken } from '../../fakes/server';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall, stored } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const run = (gl: GitLabFake, sync: string, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('gitlab', sync, { credentials: gl.valid, baseUrl: gl.apiBaseUrl, ...call }, o);
const page = (gl: GitLabFake, sync: string, call: Partial<SyncCall> = {}) =>
  fetchPage('gitlab', sync, { credentials: gl.valid, baseUrl: gl.apiBaseUrl, ...call });
const ids = (prefix: string, list: number[]) => list.map((id) => `${prefix}${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const maxUpdated = (records: SyncRecord[]) =>
  records
    .map((r) => String(r.data.updated_at))
    .sort()
    .at(-1) ?? '';
const pathsAsked = (gl: GitLabFake, from: number) => gl.requests.slice(from).map((r) => r.path);

type RawUser = { username: string };
type RawIssue = {
  iid: number;
  title: string;
  description: string | null;
  state: string;
  labels: string[];
  assignees: RawUser[];
  due_date: string | null;
  web_url: string;
  references: { full: string };
  moved_to_id: number | null;
  _links: { closed_as_duplicate_of: string | null };
  created_at: string;
  updated_at: string;
};
type RawMergeRequest = RawIssue & {
  draft: boolean;
  source_branch: string;
  target_branch: string;
  author: RawUser;
  reviewers: RawUser[];
  merged_at: string | null;
  closed_at: string | null;
};

/**
 * Member projects with issues and merge requests (more than a page in payments-api), one
 * without any, one with both features off, and projects the user is no member of.
 */
const seed = (gl: GitLabFake) => {
  const issues = {
    payments: gl.seedIssues(250, { project: 'acme/payments-api' }),
    web: gl.seedIssues(30, { project: 'acme/web' }),
    dotfiles: gl.seedIssues(3, { project: 'jdoe/dotfiles' }),
  };
  const mergeRequests = {
    payments: gl.seedMergeRequests(130, { project: 'acme/payments-api' }),
    web: gl.seedMergeRequests(4, { project: 'acme/web' }),
  };
  gl.addProject('acme/empty');
  gl.seedIssues(5, { project: 'acme/wiki' });
  gl.seedMergeRequests(2, { project: 'acme/wiki' });
  gl.addProject('acme/wiki', { issuesEnabled: false, mergeRequestsEnabled: false });
  // Public, and full of issues, but not the user's: never read.
  const outside = gl.seedIssues(7, { project: 'gitlab-org/gitlab' });
  gl.seedMergeRequests(3, { project: 'gitlab-org/gitlab' });
  gl.addProject('gitlab-org/gitlab', { member: false, visibility: 'public' });
  return { issues, mergeRequests, outside };
};

describe('gitlab issues: a full run', () => {
  let gl: GitLabFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gl = await startGitLabFake();
    seeded = seed(gl);
  });
  afterAll(() => gl.stop());

  it("reads every issue of the user's projects exactly once, project by project, in creation order", async () => {
    const before = gl.requests.length;
    const all = await run(gl, 'issues');
    expectValid(all.records, 'work_item');
    const { payments, web, dotfiles } = seeded.issues;
    expect(idsOf(all.records)).toEqual(ids('gl_issue_', [...payments, ...web, ...dotfiles]));
    // payments-api: 3 pages, web, dotfiles and empty: 1 each; wiki (issues off) never asked.
    expect(all.pages).toBe(6);
    const asked = pathsAsked(gl, before);
    expect(asked.filter((p) => p === '/api/v4/projects')).toHaveLength(1);
    expect(asked.some((p) => p.includes(String(gl.project('acme/wiki')?.id)))).toBe(false);
    expect(asked.some((p) => p.includes(String(gl.project('gitlab-org/gitlab')?.id)))).toBe(false);
    const issuesCall = gl.requests.slice(before).find((r) => r.path.endsWith('/issues'));
    expect(issuesCall?.headers['private-token']).toBe(secretsOf(gl.valid)[0]);
  });

  it('maps each issue from what GitLab answers for it', async () => {
    const all = await run(gl, 'issues');
    const statuses = new Set<string>();
    for (const r of all.records) {
      const raw = gl.issue(Number(r.id.replace('gl_issue_', ''))) as RawIssue;
      const duplicate = raw._links.closed_as_duplicate_of !== null;
      const moved = raw.moved_to_id !== null;
      const status = raw.state === 'opened' ? 'open' : duplicate || moved ? 'cancelled' : 'done';
      statuses.add(status);
      expect(r.data).toEqual({
        title: raw.title,
        description: raw.description,
        status,
        raw_status: raw.state === 'opened' ? 'opened' : duplicate ? 'duplicated' : moved ? 'moved' : 'closed',
        assignees: raw.assignees.map((a) => a.username),
        labels: raw.labels,
        url: raw.web_url,
        project: raw.references.full.split('#')[0],
        due_date: raw.due_date,
        created_at: new Date(raw.created_at).toISOString(),
        updated_at: new Date(raw.updated_at).toISOString(),
      });
    }
    expect([...statuses].sort()).toEqual(['cancelled', 'done', 'open']);
  });

  it('maps an edited issue exactly', async () => {
    const id = seeded.issues.web[4] as number;
    gl.updateIssue(id, {
      title: 'Checkout crashes on Safari',
      description: 'Steps:\n1. open checkout',
      state: 'closed',
      labels: ['safari', 'bug'],
      assignees: ['alice'],
      due_date: '2025-09-30',
      duplicate_of: null,
      moved_to_id: null,
    });
    const raw = gl.issue(id) as RawIssue;
    const all = await run(gl, 'issues', { config: { projects: ['acme/web'] } });
    expect(byId(all.records).get(`gl_issue_${id}`)).toEqual({
      title: 'Checkout crashes on Safari',
      description: 'Steps:\n1. open checkout',
      status: 'done',
      raw_status: 'closed',
      assignees: ['alice'],
      labels: ['bug', 'safari'],
      url: `https://gitlab.com/acme/web/-/issues/${raw.iid}`,
      project: 'acme/web',
      due_date: '2025-09-30',
      created_at: new Date(raw.created_at).toISOString(),
      updated_at: new Date(raw.updated_at).toISOString(),
    });
  });

  it('narrows to config.projects by path or id, any project the user can see, skipping the unknown', async () => {
    const outsideId = String(gl.project('gitlab-org/gitlab')?.id);
    const all = await run(gl, 'issues', {
      config: { projects: ['jdoe/dotfiles', outsideId, 'acme/no-such-project', 'acme/wiki'] },
    });
    expect(idsOf(all.records)).toEqual(ids('gl_issue_', [...seeded.issues.dotfiles, ...seeded.outside]));
  });

  it('with an OAuth token, sends it as Bearer', async () => {
    const before = gl.requests.length;
    const all = await run(gl, 'issues', { credentials: gl.oauth, config: { projects: ['jdoe/dotfiles'] } });
    expect(all.records).toHaveLength(3);
    expect(gl.requests[before]?.headers.authorization).toBe(`Bearer ${secretsOf(gl.oauth)[0]}`);
    expect(gl.requests[before]?.headers['private-token']).toBeUndefined();
  });

  it("rejects a token GitLab does not know with GitLab's message, without echoing it", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `glpat-${randomToken(20)}` };
    await expectProviderError(page(gl, 'issues', { credentials: wrong }), 'rejected', {
      message: '401 Unauthorized',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });
});

describe('gitlab issues: incremental and resumed runs', () => {
  let gl: GitLabFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gl = await startGitLabFake();
    seeded = seed(gl);
  });
  afterAll(() => gl.stop());

  it('since: only issues changed or created at or after it (updated_after)', async () => {
    const full = await run(gl, 'issues');
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();
    const { payments, web, dotfiles } = seeded.issues;
    const changed = [payments[3], web[20], dotfiles[0]] as number[];
    for (const id of changed) gl.updateIssue(id, { title: `changed ${id}` });
    gl.deleteIssue(payments[4] as number);
    const added = gl.seedIssues(2, { project: 'acme/web' });

    const before = gl.requests.length;
    const inc = await run(gl, 'issues', { since, mode: 'incremental' });
    expectValid(inc.records, 'work_item');
    expect(idsOf(inc.records)).toEqual(ids('gl_issue_', [...changed, ...added]));
    expect(byId(inc.records).get(`gl_issue_${changed[0]}`)?.title).toBe(`changed ${changed[0]}`);
    expect(gl.requests.length - before).toBe(1 + 4); // the listing, then one page of each project

    // A full run ignores `since`; the deleted issue is gone from it (the engine marks it deleted).
    const again = await run(gl, 'issues', { since, mode: 'full' });
    expect(again.records.length).toBe(full.records.length - 1 + 2);
    expect(idsOf(again.records)).not.toContain(`gl_issue_${payments[4]}`);
  });

  it('resumes after any page: mid-project and at project boundaries', async () => {
    const all = await run(gl, 'issues');
    for (let k = 1; k < all.pages; k++) {
      const first = await run(gl, 'issues', {}, { maxPages: k });
      const before = gl.requests.length;
      const rest = await run(gl, 'issues', { checkpoint: first.checkpoints.at(-1) });
      expect(first.pages + rest.pages).toBe(all.pages);
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
      // The listing page travels in the checkpoint: no second listing call.
      expect(pathsAsked(gl, before)).not.toContain('/api/v4/projects');
    }
  });

  it('an issue edited or created mid-run makes no other issue go missing', async () => {
    const narrowed = { config: { projects: ['acme/payments-api'] } };
    const before = await run(gl, 'issues', narrowed);
    const first = await run(gl, 'issues', narrowed, { maxPages: 1 });
    const payments = gl.issueIds('acme/payments-api');
    gl.updateIssue(payments[5] as number, { title: 'edited while syncing' });
    gl.updateIssue(payments[150] as number, { labels: ['edited'] });
    const added = gl.seedIssues(1, { project: 'acme/payments-api' });
    const rest = await run(gl, 'issues', { ...narrowed, checkpoint: first.checkpoints.at(-1) });
    const union = [...first.records, ...rest.records];
    expect(idsOf(union)).toEqual([...idsOf(before.records), ...ids('gl_issue_', added)].sort());
    expect(byId(rest.records).get(`gl_issue_${payments[150]}`)?.labels).toEqual(['edited']);
  });

  it('starts over from a checkpoint it cannot read', async () => {
    const first = await page(gl, 'issues');
    const again = await page(gl, 'issues', { checkpoint: { nonsense: true } });
    expect(again.records.map((r) => r.id)).toEqual(first.records.map((r) => r.id));
  });
});

describe('gitlab issues: more projects than a listing page', () => {
  let gl: GitLabFake;
  beforeAll(async () => {
    gl = await startGitLabFake();
  });
  afterAll(() => gl.stop());

  it('walks every listing page by keyset, keeping one listing page in the checkpoint', async () => {
    const early = gl.seedIssues(3, { project: 'acme/payments-api' });
    gl.seedProjects(150);
    const late = gl.seedIssues(10, { project: 'acme/zz-late' });
    const before = gl.requests.length;
    const all = await run(gl, 'issues');
    expect(idsOf(all.records)).toEqual(ids('gl_issue_', [...early, ...late]));
    const listings = gl.requests.slice(before).filter((r) => r.path === '/api/v4/projects');
    expect(listings).toHaveLength(2);
    for (const c of all.checkpoints) {
      const walk = c as { projects: string[]; listing?: string };
      expect(walk.projects.length).toBeLessThanOrEqual(100);
      if (walk.listing) expect(walk.listing).toMatch(/id_after=\d+/);
    }
    for (const k of [99, 100, 101, all.pages - 1]) {
      const first = await run(gl, 'issues', {}, { maxPages: k });
      const rest = await run(gl, 'issues', { checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });

  it('follows only the query of the Link header, never its host', async () => {
    const first = await page(gl, 'issues');
    const walk = stored(first.next) as { listing: string };
    expect(walk.listing).not.toContain('://');
    expect(walk.listing).toContain('membership=true');
  });
});

describe('gitlab syncs: rate limits, outages and refusals', () => {
  let gl: GitLabFake;
  let midRun: unknown;
  beforeAll(async () => {
    gl = await startGitLabFake();
    gl.seedIssues(250, { project: 'acme/payments-api' });
    midRun = (await run(gl, 'issues', {}, { maxPages: 1 })).checkpoints.at(-1);
  });
  afterAll(() => gl.stop());

  it('429 → rate_limited for Retry-After; the same checkpoint then goes on', async () => {
    gl.failNext('rate_limit', 42);
    const e = await expectProviderError(page(gl, 'issues', { checkpoint: midRun }), 'rate_limited', {
      status: 429,
      secrets: secretsOf(gl.valid),
    });
    expect(e.retryAfterSeconds).toBe(42);
    const next = await page(gl, 'issues', { checkpoint: midRun });
    expect(next.records).toHaveLength(100);
  });

  it('5xx → unreachable, on the listing as on a project', async () => {
    gl.failNext('down');
    await expectProviderError(page(gl, 'issues'), 'unreachable', { status: 500 });
    gl.failNext('down');
    await expectProviderError(page(gl, 'issues', { checkpoint: midRun }), 'unreachable', { status: 500 });
    const rest = await run(gl, 'issues', { checkpoint: midRun });
    expect(rest.records).toHaveLength(150);
  });

  it("a refused listing → rejected with GitLab's message", async () => {
    gl.failNext('refuse');
    await expectProviderError(page(gl, 'projects'), 'rejected', { status: 403, message: '403 Forbidden' });
  });
});

describe('gitlab merge requests', () => {
  let gl: GitLabFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gl = await startGitLabFake();
    seeded = seed(gl);
  });
  afterAll(() => gl.stop());

  it("reads every merge request of the user's projects once, mapped to the model", async () => {
    const before = gl.requests.length;
    const all = await run(gl, 'merge_requests');
    expectValid(all.records, 'pull_request');
    const { payments, web } = seeded.mergeRequests;
    expect(idsOf(all.records)).toEqual(ids('gl_mr_', [...payments, ...web]));
    expect(pathsAsked(gl, before).filter((p) => p.endsWith('/merge_requests'))).toHaveLength(2 + 1 + 2);
    const statuses = new Map<string, string>();
    for (const r of all.records) {
      const raw = gl.mergeRequest(Number(r.id.replace('gl_mr_', ''))) as RawMergeRequest;
      const status =
        raw.state === 'merged'
          ? 'done'
          : raw.state === 'closed'
            ? 'cancelled'
            : raw.state === 'opened' && raw.draft
              ? 'in_progress'
              : 'open';
      statuses.set(`${raw.state}${raw.draft ? '/draft' : ''}`, status);
      expect(r.data).toEqual({
        title: raw.title,
        description: raw.description,
        status,
        raw_status: raw.state,
        number: raw.iid,
        author: raw.author.username,
        assignees: raw.assignees.map((u) => u.username),
        reviewers: raw.reviewers.map((u) => u.username),
        labels: raw.labels,
        url: raw.web_url,
        repository: raw.references.full.split('!')[0],
        source_branch: raw.source_branch,
        target_branch: raw.target_branch,
        draft: raw.draft,
        merged_at: raw.merged_at && new Date(raw.merged_at).toISOString(),
        closed_at: raw.closed_at && new Date(raw.closed_at).toISOString(),
        created_at: new Date(raw.created_at).toISOString(),
        updated_at: new Date(raw.updated_at).toISOString(),
      });
    }
    expect(Object.fromEntries(statuses)).toEqual({
      opened: 'open',
      'opened/draft': 'in_progress',
      merged: 'done',
      closed: 'cancelled',
      locked: 'open',
    });
  });

  it('incremental: a merge request merged since the last run, and nothing else', async () => {
    const full = await run(gl, 'merge_requests');
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();
    const draft = gl
      .mergeRequestIds('acme/web')
      .find((id) => (gl.mergeRequest(id) as RawMergeRequest).draft) as number;
    gl.updateMergeRequest(draft, { state: 'merged', draft: false, title: 'Ship it' });
    const inc = await run(gl, 'merge_requests', { since, mode: 'incremental' });
    expect(inc.records.map((r) => r.id)).toEqual([`gl_mr_${draft}`]);
    expect(inc.records[0]?.data).toMatchObject({ status: 'done', raw_status: 'merged', draft: false });
    expect(inc.records[0]?.data.merged_at).toBe(inc.records[0]?.data.updated_at);
  });

  it('resumes mid-project from its checkpoint', async () => {
    const all = await run(gl, 'merge_requests');
    const first = await run(gl, 'merge_requests', {}, { maxPages: 1 });
    expect(first.checkpoints.at(-1)).toMatchObject({ index: 0, page: 2 });
    const rest = await run(gl, 'merge_requests', { checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
  });
});

describe('gitlab projects', () => {
  let gl: GitLabFake;
  let members: number[];
  beforeAll(async () => {
    gl = await startGitLabFake();
    members = gl.seedProjects(230);
    gl.addProject('acme/handbook', {
      visibility: 'public',
      archived: true,
      defaultBranch: null,
      description: null,
    });
    gl.addProject('acme/intranet', { visibility: 'internal' });
    gl.addProject('gitlab-org/gitlab', { member: false, visibility: 'public' });
    gl.addProject('other/secret', { member: false, visibility: 'private' });
  });
  afterAll(() => gl.stop());

  it('lists every project the user is a member of once, by keyset, mapped to the model', async () => {
    const before = gl.requests.length;
    const all = await run(gl, 'projects');
    expectValid(all.records, 'repository');
    expect(idsOf(all.records)).toEqual(ids('gl_project_', gl.projectIds()));
    expect(all.records).toHaveLength(232);
    expect(all.pages).toBe(3);
    expect(pathsAsked(gl, before)).toEqual(Array(3).fill('/api/v4/projects'));
    const data = byId(all.records);
    const handbook = gl.project('acme/handbook') as { id: number; created_at: string; updated_at: string };
    expect(data.get(`gl_project_${handbook.id}`)).toEqual({
      name: 'handbook',
      full_name: 'acme/handbook',
      description: null,
      url: 'https://gitlab.com/acme/handbook',
      private: false,
      default_branch: null,
      archived: true,
      created_at: handbook.created_at,
      updated_at: handbook.updated_at,
    });
    expect(data.get(`gl_project_${gl.project('acme/intranet')?.id}`)).toMatchObject({ private: true });
    expect(data.get(`gl_project_${members[0]}`)).toMatchObject({
      full_name: 'acme/project-00001',
      private: true,
      default_branch: 'main',
      archived: false,
    });
  });

  it('resumes from its checkpoint (the next keyset query)', async () => {
    const all = await run(gl, 'projects');
    const first = await page(gl, 'projects');
    expect(stored(first.next)).toEqual({ listing: expect.stringContaining(`id_after=${members[99]}`) });
    const rest = await run(gl, 'projects', { checkpoint: stored(first.next) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
  });

  it('reads config.projects one by one, any the user can see, the unknown skipped', async () => {
    const outside = gl.project('gitlab-org/gitlab') as { id: number };
    const all = await run(gl, 'projects', {
      config: { projects: ['acme/handbook', String(outside.id), 'other/secret', 'acme/nope'] },
    });
    expect(all.records.map((r) => r.data.full_name)).toEqual(['acme/handbook', 'gitlab-org/gitlab']);
    expect(all.pages).toBe(4);
  });
});
