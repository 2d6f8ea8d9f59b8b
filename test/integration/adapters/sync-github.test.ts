import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter, type SyncRecord } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../../fakes/github';
import { randomToken } from '../../fakes/server';
import { expectValid, fetchPage as fetchAny, idsOf, runSync, type SyncCall, stored } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const appKeys = generateAppKeyPair();
const issuesOf = (gh: GitHubFake, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('github', 'issues', { credentials: gh.valid, baseUrl: gh.apiBaseUrl, ...call }, o);
const fetchIssues = (gh: GitHubFake, call: Partial<SyncCall> = {}) =>
  fetchAny('github', 'issues', { credentials: gh.valid, baseUrl: gh.apiBaseUrl, ...call });
const recordIds = (ids: number[]) => ids.map((id) => `gh_issue_${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const maxUpdated = (records: SyncRecord[]) =>
  records
    .map((r) => String(r.data.updated_at))
    .sort()
    .at(-1) ?? '';

/** An issue as the fake answers it, as far as the mapping reads it. */
type RawIssue = {
  number: number;
  title: string;
  body: string | null;
  state: string;
  state_reason: string | null;
  milestone: { due_on: string | null } | null;
  assignees: { login: string }[];
  labels: { name: string }[];
  html_url: string;
  repository_url: string;
  created_at: string;
  updated_at: string;
};

/** Two organisation repositories with issues (one with pull requests mixed in), a user's, one without issues. */
const seed = (gh: GitHubFake) => {
  const payments = gh.seedIssues(250, { repo: 'payments-api', pullRequests: 30 });
  const web = gh.seedIssues(120, { repo: 'acme-corp/web' });
  const dotfiles = gh.seedIssues(5, { repo: 'octo-acme/dotfiles' });
  gh.seedIssues(3, { repo: 'acme-corp/wiki' });
  gh.addRepository('acme-corp/wiki', { hasIssues: false });
  return { payments, web, dotfiles };
};

const mintInstallationToken = async (gh: GitHubFake): Promise<Credentials> => {
  const minted = await (await loadAdapter('github'))?.appInstall?.mintInstallationToken({
    installationId: gh.installationId,
    app: { appId: gh.appId, privateKey: appKeys.privateKey },
    baseUrl: gh.apiBaseUrl,
    http: providerHttp,
  });
  if (!minted) throw new Error('no installation token');
  return { type: 'oauth2', access_token: minted.accessToken };
};

describe('github issues: a full run', () => {
  let gh: GitHubFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gh = await startGitHubFake({ appPublicKey: appKeys.publicKey });
    seeded = seed(gh);
  });
  afterAll(() => gh.stop());

  it('reads every issue of every readable repository exactly once, pull requests left out', async () => {
    const run = await issuesOf(gh, {});
    expectValid(run.records, 'work_item');
    expect(idsOf(run.records)).toEqual(recordIds([...seeded.payments, ...seeded.web, ...seeded.dotfiles]));
    // payments-api: 280 items = 3 pages, web: 2, dotfiles: 1; wiki (issues disabled) never asked.
    expect(run.pages).toBe(6);
    expect(gh.requests.filter((r) => r.path.includes('/issues')).map((r) => r.path)).not.toContain(
      '/repos/acme-corp/wiki/issues',
    );
    // Closed issues too (GitHub's default is state=open).
    expect(run.records.filter((r) => r.data.status === 'done').length).toBeGreaterThan(0);
    expect(run.records.filter((r) => r.data.status === 'cancelled').length).toBeGreaterThan(0);
  });

  it('maps each issue from what GitHub answers for it', async () => {
    const run = await issuesOf(gh, {});
    let milestones = 0;
    for (const r of run.records) {
      const raw = gh.issue(Number(r.id.replace('gh_issue_', ''))) as RawIssue;
      const reason = raw.state_reason;
      const status = raw.state === 'open' ? 'open' : reason === 'not_planned' ? 'cancelled' : 'done';
      const due = raw.milestone?.due_on ?? null;
      if (due) milestones++;
      expect(r.data).toEqual({
        title: raw.title,
        description: raw.body,
        status,
        raw_status: raw.state === 'closed' && reason ? reason : raw.state,
        assignees: raw.assignees.map((a) => a.login),
        labels: raw.labels.map((l) => l.name),
        url: raw.html_url,
        project: raw.repository_url.split('/repos/')[1],
        due_date: due ? due.slice(0, 10) : null,
        created_at: new Date(raw.created_at).toISOString(),
        updated_at: new Date(raw.updated_at).toISOString(),
      });
    }
    expect(milestones).toBeGreaterThan(0);
  });

  it('maps a closed-as-not-planned issue with a milestone exactly', async () => {
    const id = seeded.web[7] as number;
    gh.updateIssue(id, {
      title: 'Checkout crashes on Safari',
      body: 'Steps:\n1. open checkout',
      state: 'closed',
      state_reason: 'not_planned',
      labels: ['bug', 'safari'],
      assignees: ['hubot'],
      milestone: { title: 'v2', due_on: '2025-09-30T07:00:00Z' },
    });
    const raw = gh.issue(id) as RawIssue;
    const run = await issuesOf(gh, { config: { repositories: ['web'] } });
    expect(byId(run.records).get(`gh_issue_${id}`)).toEqual({
      title: 'Checkout crashes on Safari',
      description: 'Steps:\n1. open checkout',
      status: 'cancelled',
      raw_status: 'not_planned',
      assignees: ['hubot'],
      labels: ['bug', 'safari'],
      url: `https://github.com/acme-corp/web/issues/${raw.number}`,
      project: 'acme-corp/web',
      due_date: '2025-09-30',
      created_at: new Date(raw.created_at).toISOString(),
      updated_at: new Date(raw.updated_at).toISOString(),
    });
  });

  it('narrows to config.repositories, by name or owner/name, case-insensitively', async () => {
    const run = await issuesOf(gh, { config: { repositories: ['WEB', 'octo-acme/dotfiles'] } });
    expect(idsOf(run.records)).toEqual(recordIds([...seeded.web, ...seeded.dotfiles]));
  });

  it("with an installation token, reads the installation's repositories (not the user's)", async () => {
    const credentials = await mintInstallationToken(gh);
    const before = gh.requests.length;
    const run = await issuesOf(gh, { credentials, metadata: { installation_id: gh.installationId } });
    expect(idsOf(run.records)).toEqual(recordIds([...seeded.payments, ...seeded.web]));
    const paths = gh.requests.slice(before).map((r) => r.path);
    expect(paths).toContain('/installation/repositories');
    expect(paths).not.toContain('/user/repos');
  });

  it('rejects a token GitHub does not know, without echoing it', async () => {
    const wrong: Credentials = { type: 'oauth2', access_token: `ghp_${randomToken(36)}` };
    await expectProviderError(
      fetchAny('github', 'issues', { credentials: wrong, baseUrl: gh.apiBaseUrl }),
      'rejected',
      { message: 'Bad credentials', status: 401, secrets: secretsOf(wrong) },
    );
  });
});

describe('github issues: incremental and resumed runs', () => {
  let gh: GitHubFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gh = await startGitHubFake();
    seeded = seed(gh);
  });
  afterAll(() => gh.stop());

  it('since: only issues changed or created at or after it, pull requests still left out', async () => {
    const full = await issuesOf(gh, {});
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();

    const changed = [seeded.payments[3], seeded.web[100], seeded.dotfiles[0]] as number[];
    for (const id of changed) gh.updateIssue(id, { title: `changed ${id}` });
    gh.deleteIssue(seeded.payments[4] as number);
    const added = gh.seedIssues(2, { repo: 'web', pullRequests: 1 });

    const inc = await issuesOf(gh, { since, mode: 'incremental' });
    expectValid(inc.records, 'work_item');
    expect(idsOf(inc.records)).toEqual(recordIds([...changed, ...added]));
    expect(byId(inc.records).get(`gh_issue_${changed[0]}`)?.title).toBe(`changed ${changed[0]}`);

    // A full run ignores `since`, and the deleted issue is no longer there.
    const again = await issuesOf(gh, { since, mode: 'full' });
    expect(again.records.length).toBe(full.records.length - 1 + 2);
    expect(idsOf(again.records)).not.toContain(`gh_issue_${seeded.payments[4]}`);
  });

  it('resumes mid-repository from the stored checkpoint, asking GitHub for the next page only', async () => {
    const all = await issuesOf(gh, {});
    const first = await issuesOf(gh, {}, { maxPages: 2 });
    const checkpoint = first.checkpoints.at(-1);
    // payments-api has three pages: the checkpoint holds its third.
    expect(JSON.stringify(checkpoint)).toContain('/repositories/1296269/issues?');
    expect(JSON.stringify(checkpoint)).toContain('page=3');

    const before = gh.requests.length;
    const rest = await issuesOf(gh, { checkpoint });
    expect(gh.requests[before]?.path).toBe('/repositories/1296269/issues');
    const union = [...first.records, ...rest.records];
    expect(idsOf(union)).toEqual(idsOf(all.records));
  });

  it('resumes after any page: mid-repository and at repository boundaries', async () => {
    const all = await issuesOf(gh, {});
    expect(all.pages).toBe(6);
    for (let k = 1; k < all.pages; k++) {
      const first = await issuesOf(gh, {}, { maxPages: k });
      const rest = await issuesOf(gh, { checkpoint: first.checkpoints.at(-1) });
      expect(first.pages + rest.pages).toBe(all.pages);
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });

  it('an issue edited mid-run makes no other issue go missing', async () => {
    const before = await issuesOf(gh, { config: { repositories: ['payments-api'] } });
    const first = await issuesOf(gh, { config: { repositories: ['payments-api'] } }, { maxPages: 1 });
    // Edit one issue already read and one not yet read: neither shifts the pages.
    gh.updateIssue(seeded.payments[5] as number, { title: 'edited while syncing' });
    gh.updateIssue(seeded.payments[150] as number, { labels: ['edited'] });
    const rest = await issuesOf(gh, {
      config: { repositories: ['payments-api'] },
      checkpoint: first.checkpoints.at(-1),
    });
    const union = [...first.records, ...rest.records];
    expect(idsOf(union)).toEqual(idsOf(before.records));
    expect(byId(rest.records).get(`gh_issue_${seeded.payments[150]}`)?.labels).toEqual(['edited']);
  });

  it('starts over from a checkpoint that is unreadable or points at another host', async () => {
    const evil = {
      repos: ['acme-corp/payments-api'],
      index: 0,
      issuesNext: 'https://collector.example/repositories/1296269/issues?page=2',
    };
    const before = gh.requests.length;
    const page = await fetchIssues(gh, { checkpoint: evil });
    expect(gh.requests[before]?.path).toBe('/user/repos');
    expect(page.records.length).toBeGreaterThan(0);
    const garbage = await fetchIssues(gh, { checkpoint: { nonsense: true } });
    expect(garbage.records.map((r) => r.id)).toEqual(page.records.map((r) => r.id));
  });
});

describe('github issues: more repositories than a listing page', () => {
  let gh: GitHubFake;
  beforeAll(async () => {
    gh = await startGitHubFake();
  });
  afterAll(() => gh.stop());

  it('walks every listing page, keeping at most one listing page in the checkpoint', async () => {
    const early = gh.seedIssues(3, { repo: 'payments-api' });
    gh.seedRepositories(150);
    const late = gh.seedIssues(10, { repo: 'acme-corp/zz-late' });
    const all = await issuesOf(gh, {});
    expect(idsOf(all.records)).toEqual(recordIds([...early, ...late]));
    expect(gh.requests.filter((r) => r.path === '/user/repos').length).toBeGreaterThanOrEqual(2);
    for (const c of all.checkpoints) expect((c as { repos: string[] }).repos.length).toBeLessThanOrEqual(100);
    // Resumed on both sides of the listing page boundary.
    for (const k of [99, 100, 101, all.pages - 1]) {
      const first = await issuesOf(gh, {}, { maxPages: k });
      const rest = await issuesOf(gh, { checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });
});

describe('github issues: a hundred thousand', () => {
  let gh: GitHubFake;
  beforeAll(async () => {
    gh = await startGitHubFake();
  });
  afterAll(() => gh.stop());

  it('seeds 100,000 issues fast and small, and pages them a hundred at a time', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const ids = gh.seedIssues(100_000, { repo: 'acme-corp/monorepo' });
    const seedMs = performance.now() - t0;
    expect(ids.length).toBe(100_000);
    expect(new Set(ids).size).toBe(100_000);
    expect(seedMs).toBeLessThan(1500);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(150 * 1024 * 1024);

    const t1 = performance.now();
    const first = await issuesOf(gh, { config: { repositories: ['monorepo'] } }, { maxPages: 3 });
    expect(first.records.length).toBe(300);
    expect(performance.now() - t1).toBeLessThan(3000);
    // The last page, reached through the page URL the checkpoint holds.
    const checkpoint = stored(first.checkpoints.at(-1)) as { issuesNext: string };
    const last = await fetchIssues(gh, {
      config: { repositories: ['monorepo'] },
      checkpoint: {
        ...checkpoint,
        issuesNext: checkpoint.issuesNext.replace(/([?&])page=\d+/, '$1page=1000'),
      },
    });
    expect(last.records.map((r) => r.id)).toEqual(recordIds(ids.slice(-100)));
    expect(last.next).toBeUndefined();
  });
});

describe('github issues: rate limits and outages', () => {
  let gh: GitHubFake;
  let midRun: unknown;
  beforeAll(async () => {
    gh = await startGitHubFake();
    gh.seedIssues(250, { repo: 'payments-api' });
    midRun = (await issuesOf(gh, {}, { maxPages: 1 })).checkpoints.at(-1);
  });
  afterAll(() => gh.stop());

  it('the primary limit (403, x-ratelimit-remaining 0) → rate_limited until x-ratelimit-reset; the same checkpoint then goes on', async () => {
    gh.rateLimitNext(1, 120);
    const e = await expectProviderError(fetchIssues(gh, { checkpoint: midRun }), 'rate_limited', {
      status: 403,
      message: /API rate limit exceeded/,
      secrets: secretsOf(gh.valid),
    });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(119);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(121);
    const page = await fetchIssues(gh, { checkpoint: midRun });
    expect(page.records.length).toBe(100);
  });

  it('the secondary limit (403 or 429 with retry-after) → rate_limited for retry-after', async () => {
    gh.rateLimitNext(1, 30, { kind: 'secondary' });
    const e403 = await expectProviderError(fetchIssues(gh, { checkpoint: midRun }), 'rate_limited', {
      status: 403,
      message: /secondary rate limit/,
    });
    expect(e403.retryAfterSeconds).toBe(30);
    gh.rateLimitNext(1, 45, { kind: 'secondary', status: 429 });
    const e429 = await expectProviderError(fetchIssues(gh, { checkpoint: midRun }), 'rate_limited', {
      status: 429,
    });
    expect(e429.retryAfterSeconds).toBe(45);
  });

  it('a rate-limited repository listing is rate_limited too', async () => {
    gh.rateLimitNext(1, 60);
    const e = await expectProviderError(fetchIssues(gh), 'rate_limited', { status: 403 });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(59);
  });

  it('5xx → unreachable, and the run goes on from the same checkpoint afterwards', async () => {
    const calls = gh.listCalls();
    gh.failNext(2, 502);
    await expectProviderError(fetchIssues(gh, { checkpoint: midRun }), 'unreachable', { status: 502 });
    await expectProviderError(fetchIssues(gh), 'unreachable', { status: 502 });
    expect(gh.listCalls() - calls).toBe(2);
    const rest = await issuesOf(gh, { checkpoint: midRun });
    expect(rest.records.length).toBe(150);
  });
});

describe('github repositories', () => {
  let gh: GitHubFake;
  beforeAll(async () => {
    gh = await startGitHubFake({ appPublicKey: appKeys.publicKey });
    gh.seedRepositories(130);
    gh.addRepository('octo-acme/dotfiles', { private: false, archived: true, description: null });
  });
  afterAll(() => gh.stop());
  const repositories = (call: Partial<SyncCall> = {}) =>
    runSync('github', 'repositories', { credentials: gh.valid, baseUrl: gh.apiBaseUrl, ...call });

  it('reads every repository once, a listing page at a time, mapped to the model', async () => {
    const run = await repositories();
    expectValid(run.records, 'repository');
    expect(run.records.length).toBe(132);
    expect(run.pages).toBe(2);
    const payments = run.records.find((r) => r.data.full_name === 'acme-corp/payments-api');
    expect(payments).toMatchObject({
      id: 'gh_repo_1296269',
      data: {
        name: 'payments-api',
        full_name: 'acme-corp/payments-api',
        description: 'The payments-api repository.',
        url: 'https://github.com/acme-corp/payments-api',
        private: true,
        default_branch: 'main',
        archived: false,
      },
    });
    expect(run.records.find((r) => r.data.full_name === 'octo-acme/dotfiles')?.data).toMatchObject({
      description: null,
      private: false,
      archived: true,
    });
  });

  it('resumes from its checkpoint, narrows by config, and lists an installation its own', async () => {
    const all = await repositories();
    const first = await repositories({});
    expect(idsOf(first.records)).toEqual(idsOf(all.records));
    const page1 = await fetchAny('github', 'repositories', { credentials: gh.valid, baseUrl: gh.apiBaseUrl });
    const rest = await repositories({ checkpoint: stored(page1.next) });
    expect(idsOf([...page1.records, ...rest.records])).toEqual(idsOf(all.records));

    const narrowed = await repositories({ config: { repositories: ['payments-api', 'octo-acme/dotfiles'] } });
    expect(narrowed.records.map((r) => r.data.full_name).sort()).toEqual([
      'acme-corp/payments-api',
      'octo-acme/dotfiles',
    ]);

    const credentials = await mintInstallationToken(gh);
    const inst = await repositories({ credentials, metadata: { installation_id: gh.installationId } });
    expect(inst.records.length).toBe(131);
    expect(inst.records.map((r) => r.data.full_name)).not.toContain('octo-acme/dotfiles');
  });
});

// ---- Pull requests ----

const pullsOf = (gh: GitHubFake, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('github', 'pull_requests', { credentials: gh.valid, baseUrl: gh.apiBaseUrl, ...call }, o);
const prIds = (ids: number[]) => ids.map((id) => `gh_pr_${id}`).sort();

/** A pull request as the fake's GET /pulls answers it, as far as the mapping reads it. */
type RawPull = {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: string;
  draft: boolean;
  merged_at: string | null;
  closed_at: string | null;
  html_url: string;
  user: { login: string };
  assignees: { login: string }[];
  requested_reviewers: { login: string }[];
  labels: { name: string }[];
  head: { ref: string };
  base: { ref: string; repo: { full_name: string } };
  created_at: string;
  updated_at: string;
};

/**
 * payments-api: 130 pull requests among its issues (2 pages); web: 120 of its own, a mix
 * (2 pages); wiki: issues off, but one pull request of each kind; dotfiles: the user's, 3.
 * Then a few issues, so that later changes come after every pull request's updated_at.
 */
const seedPulls = (gh: GitHubFake) => {
  gh.seedIssues(250, { repo: 'payments-api', pullRequests: 130 });
  gh.seedPullRequests(120, { repo: 'acme-corp/web' });
  gh.addRepository('acme-corp/wiki', { hasIssues: false });
  const kinds = {
    open: gh.seedPullRequests(1, { repo: 'acme-corp/wiki', kind: 'open' })[0] as number,
    draft: gh.seedPullRequests(1, { repo: 'acme-corp/wiki', kind: 'draft' })[0] as number,
    merged: gh.seedPullRequests(1, { repo: 'acme-corp/wiki', kind: 'merged' })[0] as number,
    closed: gh.seedPullRequests(1, { repo: 'acme-corp/wiki', kind: 'closed' })[0] as number,
  };
  gh.seedPullRequests(3, { repo: 'octo-acme/dotfiles' });
  gh.seedIssues(3, { repo: 'acme-corp/web' });
  return { kinds, all: gh.pullRequestIds(), payments: gh.pullRequestIds('payments-api') };
};

describe('github pull requests: a full run', () => {
  let gh: GitHubFake;
  let seeded: ReturnType<typeof seedPulls>;
  beforeAll(async () => {
    gh = await startGitHubFake({ appPublicKey: appKeys.publicKey });
    seeded = seedPulls(gh);
  });
  afterAll(() => gh.stop());

  it('reads every pull request of every repository exactly once, issues left out', async () => {
    const run = await pullsOf(gh, {});
    expectValid(run.records, 'pull_request');
    expect(seeded.all.length).toBe(130 + 120 + 4 + 3);
    expect(idsOf(run.records)).toEqual(prIds(seeded.all));
    // payments-api 2 pages, web 2, wiki 1 (issues off, pull requests still there), dotfiles 1.
    expect(run.pages).toBe(6);
    for (const s of ['open', 'in_progress', 'done', 'cancelled']) {
      expect(run.records.filter((r) => r.data.status === s).length, s).toBeGreaterThan(0);
    }
  });

  it('maps each pull request from what GitHub answers for it', async () => {
    const run = await pullsOf(gh, {});
    for (const r of run.records) {
      const raw = gh.pullRequest(Number(r.id.replace('gh_pr_', ''))) as RawPull;
      const [status, rawStatus] = raw.merged_at
        ? ['done', 'merged']
        : raw.state === 'closed'
          ? ['cancelled', 'closed']
          : raw.draft
            ? ['in_progress', 'draft']
            : ['open', 'open'];
      const iso = (v: string | null) => (v === null ? null : new Date(v).toISOString());
      expect(r.data).toEqual({
        title: raw.title,
        description: raw.body,
        status,
        raw_status: rawStatus,
        number: raw.number,
        author: raw.user.login,
        assignees: raw.assignees.map((a) => a.login),
        reviewers: raw.requested_reviewers.map((a) => a.login),
        labels: raw.labels.map((l) => l.name),
        url: raw.html_url,
        repository: raw.base.repo.full_name,
        source_branch: raw.head.ref,
        target_branch: raw.base.ref,
        draft: raw.draft,
        merged_at: iso(raw.merged_at),
        closed_at: iso(raw.closed_at),
        created_at: iso(raw.created_at),
        updated_at: iso(raw.updated_at),
      });
    }
  });

  it('draft → in_progress, open → open, merged → done, closed unmerged → cancelled', async () => {
    const run = await pullsOf(gh, { config: { repositories: ['wiki'] } });
    const got = byId(run.records);
    const of = (id: number) => got.get(`gh_pr_${id}`);
    expect(of(seeded.kinds.open)).toMatchObject({ status: 'open', raw_status: 'open', draft: false });
    expect(of(seeded.kinds.draft)).toMatchObject({ status: 'in_progress', raw_status: 'draft', draft: true });
    expect(of(seeded.kinds.merged)).toMatchObject({ status: 'done', raw_status: 'merged' });
    expect(of(seeded.kinds.merged)?.merged_at).toBe(of(seeded.kinds.merged)?.closed_at);
    expect(of(seeded.kinds.closed)).toMatchObject({
      status: 'cancelled',
      raw_status: 'closed',
      merged_at: null,
    });
    expect(of(seeded.kinds.closed)?.closed_at).not.toBeNull();
    expect(run.records.length).toBe(4);
  });

  it('maps an edited pull request exactly, and the issues listing agrees on its number', async () => {
    const id = seeded.payments[10] as number;
    gh.updatePullRequest(id, {
      title: 'Retry webhooks',
      body: null,
      state: 'open',
      draft: false,
      labels: ['enhancement'],
      assignees: ['hubot'],
      requested_reviewers: ['octo-acme', 'hubot'],
      head: 'feat/retry',
      base: 'release',
      author: 'hubot',
    });
    const raw = gh.pullRequest(id) as RawPull;
    const run = await pullsOf(gh, { config: { repositories: ['acme-corp/payments-api'] } });
    expect(byId(run.records).get(`gh_pr_${id}`)).toEqual({
      title: 'Retry webhooks',
      description: null,
      status: 'open',
      raw_status: 'open',
      number: raw.number,
      author: 'hubot',
      assignees: ['hubot'],
      reviewers: ['octo-acme', 'hubot'],
      labels: ['enhancement'],
      url: `https://github.com/acme-corp/payments-api/pull/${raw.number}`,
      repository: 'acme-corp/payments-api',
      source_branch: 'feat/retry',
      target_branch: 'release',
      draft: false,
      merged_at: null,
      closed_at: null,
      created_at: new Date(raw.created_at).toISOString(),
      updated_at: new Date(raw.updated_at).toISOString(),
    });
    // The same pull request among the repository's issues: same number, marked as a pull request.
    const res = await fetch(
      `${gh.apiBaseUrl}/repos/acme-corp/payments-api/issues?state=all&direction=asc&per_page=100&page=1`,
      {
        headers: {
          authorization: `Bearer ${(gh.valid as { access_token: string }).access_token}`,
          'user-agent': 'test',
        },
      },
    );
    const listed = (await res.json()) as { number: number; title: string; pull_request?: unknown }[];
    const same = listed.filter((i) => i.number === raw.number);
    expect(same).toHaveLength(1);
    expect(same[0]?.title).toBe('Retry webhooks');
    expect(same[0]?.pull_request).toBeDefined();
  });

  it('narrows to config.repositories; an installation reads its own repositories', async () => {
    const narrowed = await pullsOf(gh, { config: { repositories: ['WEB', 'octo-acme/dotfiles'] } });
    expect(idsOf(narrowed.records)).toEqual(
      prIds([...gh.pullRequestIds('acme-corp/web'), ...gh.pullRequestIds('octo-acme/dotfiles')]),
    );
    const credentials = await mintInstallationToken(gh);
    const inst = await pullsOf(gh, { credentials, metadata: { installation_id: gh.installationId } });
    expect(idsOf(inst.records)).toEqual(
      prIds(seeded.all.filter((id) => !gh.pullRequestIds('octo-acme/dotfiles').includes(id))),
    );
  });

  it('resumes after any page, from the checkpoint as stored', async () => {
    const all = await pullsOf(gh, {});
    for (let k = 1; k < all.pages; k++) {
      const first = await pullsOf(gh, {}, { maxPages: k });
      const rest = await pullsOf(gh, { checkpoint: first.checkpoints.at(-1) });
      expect(first.pages + rest.pages).toBe(all.pages);
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
    const mid = (await pullsOf(gh, {}, { maxPages: 1 })).checkpoints.at(-1);
    expect(JSON.stringify(mid)).toContain('"pullsNext"');
    expect(JSON.stringify(mid)).toContain('/repositories/1296269/pulls?');
  });
});

describe('github pull requests: incremental', () => {
  let gh: GitHubFake;
  let seeded: ReturnType<typeof seedPulls>;
  let since: string;
  beforeAll(async () => {
    gh = await startGitHubFake();
    seeded = seedPulls(gh);
    since = new Date(Date.parse(maxUpdated((await pullsOf(gh, {})).records)) + 1000).toISOString();
  });
  afterAll(() => gh.stop());

  it('reads only pull requests changed or created since, stopping at the first older one', async () => {
    const changed = [seeded.payments[0], seeded.payments[129], seeded.kinds.draft] as number[];
    gh.updatePullRequest(changed[0] as number, { merged: true });
    gh.updatePullRequest(changed[1] as number, { title: 'renamed' });
    gh.updatePullRequest(changed[2] as number, { draft: false });
    const added = gh.seedPullRequests(2, { repo: 'acme-corp/web' });
    gh.seedIssues(2, { repo: 'acme-corp/web' });

    const before = gh.requests.length;
    const inc = await pullsOf(gh, { since, mode: 'incremental' });
    expectValid(inc.records, 'pull_request');
    expect(idsOf(inc.records)).toEqual(prIds([...changed, ...added]));
    expect(byId(inc.records).get(`gh_pr_${changed[0]}`)).toMatchObject({
      status: 'done',
      raw_status: 'merged',
    });
    expect(byId(inc.records).get(`gh_pr_${changed[2]}`)).toMatchObject({ status: 'open', draft: false });
    // One page a repository: no next page was asked for (those go to /repositories/{id}/pulls).
    const asked = gh.requests.slice(before).map((r) => r.path);
    expect(asked.filter((p) => p.endsWith('/pulls'))).toHaveLength(4);
    expect(asked.filter((p) => p.startsWith('/repositories/'))).toHaveLength(0);

    // A full run ignores since.
    const full = await pullsOf(gh, { since, mode: 'full' });
    expect(full.records.length).toBe(seeded.all.length + 2);
  });

  it('reads every change across pages, and a change mid-run skips nothing but the one changed', async () => {
    // 120 changes in payments-api (and two from before): two pages of the incremental listing.
    const changed = seeded.payments.slice(0, 120);
    for (const id of changed) gh.updatePullRequest(id, { labels: ['touched'] });
    const later = await pullsOf(gh, {
      since,
      mode: 'incremental',
      config: { repositories: ['payments-api'] },
    });
    expect(idsOf(later.records)).toEqual(
      prIds([...new Set([...changed, seeded.payments[0], seeded.payments[129]] as number[])]),
    );

    const first = await pullsOf(
      gh,
      { since, mode: 'incremental', config: { repositories: ['payments-api'] } },
      { maxPages: 1 },
    );
    expect(first.records.length).toBe(100);
    const read = new Set(first.records.map((r) => r.id));
    const unread = changed.find((id) => !read.has(`gh_pr_${id}`)) as number;
    const alreadyRead = changed.find((id) => read.has(`gh_pr_${id}`)) as number;
    gh.updatePullRequest(unread, { title: 'moved to the front' });
    gh.updatePullRequest(alreadyRead, { title: 'changed again' });
    const rest = await pullsOf(gh, {
      since,
      mode: 'incremental',
      config: { repositories: ['payments-api'] },
      checkpoint: first.checkpoints.at(-1),
    });
    const union = new Set(idsOf([...first.records, ...rest.records]));
    // Everything changed before the run, but the one that moved to the front during it, which
    // the next run (since this one's start) reads.
    for (const id of idsOf(later.records).filter((x) => x !== `gh_pr_${unread}`)) expect(union).toContain(id);
    const next = await pullsOf(gh, {
      since: (gh.pullRequest(unread) as RawPull).updated_at,
      mode: 'incremental',
      config: { repositories: ['payments-api'] },
    });
    expect(idsOf(next.records)).toContain(`gh_pr_${unread}`);
  });
});

describe('github pull requests: rate limits and outages', () => {
  let gh: GitHubFake;
  beforeAll(async () => {
    gh = await startGitHubFake();
    gh.seedPullRequests(150, { repo: 'payments-api' });
  });
  afterAll(() => gh.stop());
  const fetchPulls = (call: Partial<SyncCall> = {}) =>
    fetchAny('github', 'pull_requests', { credentials: gh.valid, baseUrl: gh.apiBaseUrl, ...call });

  it('rate limits (403 primary, 429 secondary) → rate_limited with the wait; 5xx → unreachable; then it goes on', async () => {
    const listed = await fetchPulls();
    const repoCheckpoint = { repos: ['acme-corp/payments-api'], index: 0 };
    expect(listed.records.length).toBe(100);
    gh.rateLimitNext(1, 90);
    const primary = await expectProviderError(fetchPulls({ checkpoint: repoCheckpoint }), 'rate_limited', {
      status: 403,
      message: /API rate limit exceeded/,
    });
    expect(primary.retryAfterSeconds).toBeGreaterThanOrEqual(89);
    expect(primary.retryAfterSeconds).toBeLessThanOrEqual(91);
    gh.rateLimitNext(1, 30, { kind: 'secondary', status: 429 });
    const secondary = await expectProviderError(fetchPulls({ checkpoint: repoCheckpoint }), 'rate_limited', {
      status: 429,
    });
    expect(secondary.retryAfterSeconds).toBe(30);
    gh.failNext(1, 502);
    await expectProviderError(fetchPulls({ checkpoint: listed.next }), 'unreachable', { status: 502 });
    const rest = await pullsOf(gh, { checkpoint: listed.next });
    expect(rest.records.length).toBe(50);
  });
});
