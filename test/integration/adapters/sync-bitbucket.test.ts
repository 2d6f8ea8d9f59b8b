import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, SyncRecord } from '../../../adapters';
import { type BitbucketFake, startBitbucketFake } from '../../fakes/bitbucket';
import { randomToken, reply, startFakeServer } from '../../fakes/server';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall, stored } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const run = (bb: BitbucketFake, sync: string, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('bitbucket', sync, { credentials: bb.valid, baseUrl: bb.apiBaseUrl, ...call }, o);
const page = (bb: BitbucketFake, sync: string, call: Partial<SyncCall> = {}) =>
  fetchPage('bitbucket', sync, { credentials: bb.valid, baseUrl: bb.apiBaseUrl, ...call });
const bare = (uuid: string) => uuid.replace(/^\{|\}$/g, '');
const repoIds = (uuids: string[]) => uuids.map((u) => `bb_repo_${bare(u)}`).sort();
const prIds = (bb: BitbucketFake, repo: string, ids: number[]) => {
  const uuid = bare(String(bb.repo(repo)?.uuid));
  return ids.map((id) => `bb_pr_${uuid}_${id}`);
};
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const maxUpdated = (records: SyncRecord[]) =>
  records
    .map((r) => String(r.data.updated_at))
    .sort()
    .at(-1) ?? '';
const asked = (bb: BitbucketFake, from: number) => bb.requests.slice(from).map((r) => r.path);

type RawAccount = { nickname: string };
type RawPull = {
  id: number;
  title: string;
  description: string;
  state: string;
  draft: boolean;
  author: RawAccount;
  source: { branch: { name: string } };
  destination: { branch: { name: string }; repository: { full_name: string } };
  links: { html: { href: string } };
  created_on: string;
  updated_on: string;
};

/**
 * Member repositories with pull requests (more than a page in payments-api), one without, and a
 * public repository of another workspace, full of pull requests, the user is no member of.
 */
const seed = (bb: BitbucketFake) => {
  const pulls = {
    payments: bb.seedPullRequests(120, { repo: 'acme/payments-api' }),
    web: bb.seedPullRequests(12, { repo: 'acme/web' }),
    dotfiles: bb.seedPullRequests(3, { repo: 'jdoe/dotfiles' }),
  };
  bb.addRepo('acme/empty');
  bb.seedPullRequests(6, { repo: 'atlassian/public-thing' });
  bb.addRepo('atlassian/public-thing', { member: false, isPrivate: false });
  return pulls;
};

describe('bitbucket repositories', () => {
  let bb: BitbucketFake;
  let members: string[];
  beforeAll(async () => {
    bb = await startBitbucketFake();
    members = bb.seedRepos(230);
    bb.addRepo('acme/handbook', { isPrivate: false, mainbranch: null, description: '', name: 'Handbook' });
    bb.addRepo('atlassian/public-thing', { member: false, isPrivate: false });
    bb.addRepo('other/secret', { member: false, isPrivate: true });
  });
  afterAll(() => bb.stop());

  it('lists every repository the user is a member of once, following `next`, mapped to the model', async () => {
    const before = bb.requests.length;
    const all = await run(bb, 'repositories');
    expectValid(all.records, 'repository');
    expect(idsOf(all.records)).toEqual(repoIds(bb.repoUuids()));
    expect(all.records).toHaveLength(231);
    expect(all.pages).toBe(3);
    expect(asked(bb, before)).toEqual(Array(3).fill('/2.0/repositories'));
    const first = new URL(`http://x${bb.requests[before]?.path}`);
    expect(bb.requests[before]?.headers.authorization).toMatch(/^Basic /);
    const handbook = bb.repo('acme/handbook') as { uuid: string; created_on: string; updated_on: string };
    expect(byId(all.records).get(`bb_repo_${bare(handbook.uuid)}`)).toEqual({
      name: 'Handbook',
      full_name: 'acme/handbook',
      description: null,
      url: 'https://bitbucket.org/acme/handbook',
      private: false,
      default_branch: null,
      archived: false,
      created_at: new Date(handbook.created_on).toISOString(),
      updated_at: new Date(handbook.updated_on).toISOString(),
    });
    expect(byId(all.records).get(`bb_repo_${bare(members[0] ?? '')}`)).toMatchObject({
      full_name: 'acme/repo-00001',
      description: 'The repo-00001 repository.',
      private: true,
      default_branch: 'main',
    });
    expect(first.pathname).toBe('/2.0/repositories');
  });

  it('asks for role=member, 100 a page, in creation order, and keeps only the path of `next`', async () => {
    const before = bb.requests.length;
    const first = await page(bb, 'repositories');
    expect(first.records).toHaveLength(100);
    const checkpoint = stored(first.next) as { listing: string };
    expect(checkpoint.listing).toMatch(/^\/repositories\?/);
    expect(checkpoint.listing).not.toContain('://');
    const q = new URL(`http://x${checkpoint.listing}`).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({ role: 'member', pagelen: '100', sort: 'created_on' });
    expect(q.get('page')).toEqual(expect.any(String));
    expect(bb.requests.length - before).toBe(1);
  });

  it('resumes from its checkpoint', async () => {
    const all = await run(bb, 'repositories');
    const first = await page(bb, 'repositories');
    const rest = await run(bb, 'repositories', { checkpoint: stored(first.next) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
  });

  it('with config.workspace, lists that workspace (public repositories of others included)', async () => {
    const before = bb.requests.length;
    const all = await run(bb, 'repositories', { config: { workspace: 'atlassian' } });
    expect(all.records.map((r) => r.data.full_name)).toEqual(['atlassian/public-thing']);
    expect(asked(bb, before)).toEqual(['/2.0/repositories/atlassian']);
  });

  it("an unknown workspace → rejected with Bitbucket's 404 message", async () => {
    await expectProviderError(page(bb, 'repositories', { config: { workspace: 'nope' } }), 'rejected', {
      status: 404,
      message: "No workspace with identifier 'nope'.",
    });
  });

  it('refuses to follow a `next` page outside the API base', async () => {
    const proxy = await startFakeServer(
      () =>
        reply(200, {
          pagelen: 1,
          values: [],
          next: 'https://elsewhere.example/2.0/repositories?page=2',
        }),
      reply(503, {}),
    );
    try {
      await expectProviderError(
        fetchPage('bitbucket', 'repositories', { credentials: bb.valid, baseUrl: `${proxy.url}/2.0` }),
        'unreachable',
        { message: 'Bitbucket answered a next page outside its API.' },
      );
    } finally {
      await proxy.stop();
    }
  });
});

describe('bitbucket pull requests: a full run', () => {
  let bb: BitbucketFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    bb = await startBitbucketFake();
    seeded = seed(bb);
  });
  afterAll(() => bb.stop());

  it("reads every pull request of the user's repositories exactly once, repository by repository", async () => {
    const before = bb.requests.length;
    const all = await run(bb, 'pull_requests');
    expectValid(all.records, 'pull_request');
    expect(idsOf(all.records)).toEqual(
      [
        ...prIds(bb, 'acme/payments-api', seeded.payments),
        ...prIds(bb, 'acme/web', seeded.web),
        ...prIds(bb, 'jdoe/dotfiles', seeded.dotfiles),
      ].sort(),
    );
    // payments-api: 3 pages of 50, web, dotfiles and empty: 1 each; the public repository never asked.
    expect(all.pages).toBe(6);
    const paths = asked(bb, before);
    expect(paths.filter((p) => p === '/2.0/repositories')).toHaveLength(1);
    expect(paths.some((p) => p.includes('public-thing'))).toBe(false);
    const first = bb.requests.slice(before).find((r) => r.path.endsWith('/pullrequests'));
    expect(first?.path).toBe('/2.0/repositories/acme/payments-api/pullrequests');
  });

  it('maps each pull request from what Bitbucket answers for it', async () => {
    const all = await run(bb, 'pull_requests');
    const statuses = new Map<string, string>();
    for (const r of all.records) {
      const [, repo = '', id = ''] = /^bb_pr_([0-9a-f-]+)_(\d+)$/.exec(r.id) ?? [];
      const fullName = ['acme/payments-api', 'acme/web', 'jdoe/dotfiles'].find(
        (n) => bare(String(bb.repo(n)?.uuid)) === repo,
      );
      const raw = bb.pullRequest(fullName ?? '', Number(id)) as RawPull;
      const status =
        raw.state === 'MERGED'
          ? 'done'
          : raw.state === 'OPEN'
            ? raw.draft
              ? 'in_progress'
              : 'open'
            : 'cancelled';
      statuses.set(`${raw.state}${raw.draft ? '/draft' : ''}`, status);
      const updated = new Date(raw.updated_on).toISOString();
      expect(r.data).toEqual({
        title: raw.title,
        description: raw.description === '' ? null : raw.description,
        status,
        raw_status: raw.state,
        number: raw.id,
        author: raw.author.nickname,
        assignees: [],
        // Lists leave reviewers out ("for performance reasons").
        reviewers: [],
        labels: [],
        url: raw.links.html.href,
        repository: fullName,
        source_branch: raw.source.branch.name,
        target_branch: raw.destination.branch.name,
        draft: raw.draft,
        merged_at: raw.state === 'MERGED' ? updated : null,
        closed_at: raw.state === 'OPEN' ? null : updated,
        created_at: new Date(raw.created_on).toISOString(),
        updated_at: updated,
      });
    }
    expect(Object.fromEntries(statuses)).toEqual({
      OPEN: 'open',
      'OPEN/draft': 'in_progress',
      MERGED: 'done',
      DECLINED: 'cancelled',
      SUPERSEDED: 'cancelled',
    });
  });

  it('narrows to config.workspace', async () => {
    const all = await run(bb, 'pull_requests', { config: { workspace: 'jdoe' } });
    expect(idsOf(all.records)).toEqual(prIds(bb, 'jdoe/dotfiles', seeded.dotfiles).sort());
  });

  it('with an OAuth token, sends it as Bearer', async () => {
    const before = bb.requests.length;
    const all = await run(bb, 'pull_requests', { credentials: bb.oauth, config: { workspace: 'jdoe' } });
    expect(all.records).toHaveLength(3);
    expect(bb.requests[before]?.headers.authorization).toBe(`Bearer ${secretsOf(bb.oauth)[0]}`);
  });

  it("a token without the pullrequest scope → rejected with Bitbucket's message", async () => {
    await expectProviderError(page(bb, 'pull_requests', { credentials: bb.accountOnly }), 'rejected', {
      status: 403,
      message:
        'Your credentials lack one or more required privilege scopes. (required: repository; granted: account)',
      secrets: secretsOf(bb.accountOnly),
    });
  });

  it('rejects credentials Bitbucket does not know, without echoing them', async () => {
    const wrong: Credentials = { type: 'basic', username: 'jdoe', password: `ATBB${randomToken(36)}` };
    await expectProviderError(page(bb, 'pull_requests', { credentials: wrong }), 'rejected', {
      status: 401,
      message: 'Login failed due to incorrect login credentials or method.',
      secrets: secretsOf(wrong),
    });
  });
});

describe('bitbucket pull requests: incremental and resumed runs', () => {
  let bb: BitbucketFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    bb = await startBitbucketFake();
    seeded = seed(bb);
  });
  afterAll(() => bb.stop());

  it('since: only pull requests updated at or after it, asked with BBQL `updated_on >=`', async () => {
    const full = await run(bb, 'pull_requests');
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();
    const changed = [
      ['acme/payments-api', seeded.payments[3]],
      ['acme/web', seeded.web[7]],
      ['jdoe/dotfiles', seeded.dotfiles[0]],
    ] as [string, number][];
    for (const [repo, id] of changed) bb.updatePullRequest(repo, id, { title: `changed ${id}` });
    bb.updatePullRequest('acme/web', seeded.web[1] as number, { state: 'MERGED', draft: false });
    const added = bb.seedPullRequests(2, { repo: 'acme/web' });

    const before = bb.requests.length;
    const inc = await run(bb, 'pull_requests', { since, mode: 'incremental' });
    expectValid(inc.records, 'pull_request');
    expect(idsOf(inc.records)).toEqual(
      [
        ...prIds(bb, 'acme/payments-api', [seeded.payments[3] as number]),
        ...prIds(bb, 'acme/web', [seeded.web[7] as number, seeded.web[1] as number, ...added]),
        ...prIds(bb, 'jdoe/dotfiles', [seeded.dotfiles[0] as number]),
      ].sort(),
    );
    const merged = byId(inc.records).get(prIds(bb, 'acme/web', [seeded.web[1] as number])[0] ?? '');
    expect(merged).toMatchObject({ status: 'done', raw_status: 'MERGED', draft: false });
    // The listing, then one page of each repository (the fake refuses a `Z` in BBQL: it got an offset).
    expect(bb.requests.length - before).toBe(1 + 4);

    // A full run ignores `since`.
    const again = await run(bb, 'pull_requests', { since, mode: 'full' });
    expect(again.records.length).toBe(full.records.length + 2);
  });

  it('resumes after any page: mid-repository and at repository boundaries', async () => {
    const all = await run(bb, 'pull_requests');
    for (let k = 1; k < all.pages; k++) {
      const first = await run(bb, 'pull_requests', {}, { maxPages: k });
      const before = bb.requests.length;
      const rest = await run(bb, 'pull_requests', { checkpoint: first.checkpoints.at(-1) });
      expect(first.pages + rest.pages).toBe(all.pages);
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
      // The listing page travels in the checkpoint: no second listing call.
      expect(asked(bb, before)).not.toContain('/2.0/repositories');
    }
  });

  it('a pull request edited or created mid-run makes no other one go missing', async () => {
    const narrowed = { config: { workspace: 'acme' } };
    const before = await run(bb, 'pull_requests', narrowed);
    const first = await run(bb, 'pull_requests', narrowed, { maxPages: 1 });
    bb.updatePullRequest('acme/payments-api', seeded.payments[5] as number, {
      title: 'edited while syncing',
    });
    bb.updatePullRequest('acme/payments-api', seeded.payments[80] as number, { state: 'DECLINED' });
    const added = bb.seedPullRequests(1, { repo: 'acme/payments-api' });
    const rest = await run(bb, 'pull_requests', { ...narrowed, checkpoint: first.checkpoints.at(-1) });
    const union = [...first.records, ...rest.records];
    expect(idsOf(union)).toEqual([...idsOf(before.records), ...prIds(bb, 'acme/payments-api', added)].sort());
    const declined = prIds(bb, 'acme/payments-api', [seeded.payments[80] as number])[0] ?? '';
    expect(byId(rest.records).get(declined)).toMatchObject({ status: 'cancelled', raw_status: 'DECLINED' });
  });

  it('skips a repository deleted since it was listed', async () => {
    const listed = await page(bb, 'pull_requests', { config: { workspace: 'acme' } });
    bb.deleteRepo('acme/web');
    const rest = await run(bb, 'pull_requests', {
      config: { workspace: 'acme' },
      checkpoint: stored(listed.next),
    });
    expect(rest.records.some((r) => r.data.repository === 'acme/web')).toBe(false);
    expect(rest.records.length).toBeGreaterThan(0);
  });

  it('starts over from a checkpoint it cannot read', async () => {
    const first = await page(bb, 'pull_requests');
    const again = await page(bb, 'pull_requests', { checkpoint: { nonsense: true } });
    expect(again.records.map((r) => r.id)).toEqual(first.records.map((r) => r.id));
  });
});

describe('bitbucket pull requests: more repositories than a listing page', () => {
  let bb: BitbucketFake;
  beforeAll(async () => {
    bb = await startBitbucketFake();
  });
  afterAll(() => bb.stop());

  it('walks every listing page, keeping one listing page in the checkpoint', async () => {
    const early = bb.seedPullRequests(3, { repo: 'acme/payments-api' });
    bb.seedRepos(150);
    const late = bb.seedPullRequests(10, { repo: 'acme/zz-late' });
    const before = bb.requests.length;
    const all = await run(bb, 'pull_requests');
    expect(idsOf(all.records)).toEqual(
      [...prIds(bb, 'acme/payments-api', early), ...prIds(bb, 'acme/zz-late', late)].sort(),
    );
    expect(bb.requests.slice(before).filter((r) => r.path === '/2.0/repositories')).toHaveLength(2);
    for (const c of all.checkpoints) {
      const walk = c as { repos: unknown[]; listing?: string };
      expect(walk.repos.length).toBeLessThanOrEqual(100);
      if (walk.listing) expect(walk.listing).toMatch(/^\/repositories\?.*role=member/);
    }
    for (const k of [99, 100, 101, all.pages - 1]) {
      const first = await run(bb, 'pull_requests', {}, { maxPages: k });
      const rest = await run(bb, 'pull_requests', { checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });
});

describe('bitbucket syncs: rate limits, outages and refusals', () => {
  let bb: BitbucketFake;
  let midRun: unknown;
  beforeAll(async () => {
    bb = await startBitbucketFake();
    bb.seedPullRequests(120, { repo: 'acme/payments-api' });
    midRun = (await run(bb, 'pull_requests', {}, { maxPages: 1 })).checkpoints.at(-1);
  });
  afterAll(() => bb.stop());

  it('429 → rate_limited (Bitbucket names no wait: the engine picks one); the same checkpoint then goes on', async () => {
    bb.failNext('rate_limit');
    const e = await expectProviderError(page(bb, 'pull_requests', { checkpoint: midRun }), 'rate_limited', {
      status: 429,
      secrets: secretsOf(bb.valid),
    });
    expect(e.retryAfterSeconds).toBeUndefined();
    const next = await page(bb, 'pull_requests', { checkpoint: midRun });
    expect(next.records).toHaveLength(50);
  });

  it('5xx → unreachable, on the listing as on a repository', async () => {
    bb.failNext('down');
    await expectProviderError(page(bb, 'pull_requests'), 'unreachable', { status: 500 });
    bb.failNext('down');
    await expectProviderError(page(bb, 'pull_requests', { checkpoint: midRun }), 'unreachable', {
      status: 500,
    });
    const rest = await run(bb, 'pull_requests', { checkpoint: midRun });
    expect(rest.records).toHaveLength(70);
  });

  it("a refused listing → rejected with Bitbucket's message", async () => {
    bb.failNext('refuse');
    await expectProviderError(page(bb, 'repositories'), 'rejected', {
      status: 403,
      message: /^Your credentials lack one or more required privilege scopes\./,
    });
  });
});
