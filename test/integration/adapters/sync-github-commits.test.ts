import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter, type SyncRecord } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GitHubFake, generateAppKeyPair, startGitHubFake } from '../../fakes/github';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const appKeys = generateAppKeyPair();
const commitsOf = (gh: GitHubFake, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('github', 'commits', { credentials: gh.valid, baseUrl: gh.apiBaseUrl, ...call }, o);
const ids = (repo: string, shas: string[]) => shas.map((s) => `gh_commit_${repo}@${s}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));

/** A commit as the fake lists it, as far as the mapping reads it. */
type RawCommit = {
  sha: string;
  html_url: string;
  author: { login: string } | null;
  commit: { message: string; author: { name: string; email: string }; committer: { date: string } };
};

/**
 * payments-api: 230 commits on main (three pages) and 5 on a feature branch (never read);
 * web: 12 on main; wiki: no commit at all (GitHub answers 409); the user's dotfiles: 3.
 */
const seed = (gh: GitHubFake) => {
  const payments = gh.seedCommits(230, { repo: 'acme-corp/payments-api' });
  gh.seedCommits(5, { repo: 'acme-corp/payments-api', branch: 'feature/checkout' });
  const web = gh.seedCommits(12, { repo: 'acme-corp/web' });
  gh.addRepository('acme-corp/wiki');
  const dotfiles = gh.seedCommits(3, { repo: 'octo-acme/dotfiles' });
  return { payments, web, dotfiles };
};
const allIds = (s: ReturnType<typeof seed>) => [
  ...ids('acme-corp/payments-api', s.payments),
  ...ids('acme-corp/web', s.web),
  ...ids('octo-acme/dotfiles', s.dotfiles),
];

describe('github commits: a full run', () => {
  let gh: GitHubFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gh = await startGitHubFake({ appPublicKey: appKeys.publicKey });
    seeded = seed(gh);
  });
  afterAll(() => gh.stop());

  it("reads every commit of each repository's default branch exactly once, no other branch", async () => {
    const run = await commitsOf(gh);
    expectValid(run.records, 'commit');
    expect(idsOf(run.records)).toEqual(allIds(seeded).sort());
    // payments-api: 3 pages; web: 1; wiki (empty: 409, nothing) and dotfiles share one.
    expect(run.pages).toBe(5);
    expect(run.records.every((r) => r.data.branch === 'main')).toBe(true);
  });

  it('maps a commit from what GitHub answers: login when the email has an account, else git’s name', async () => {
    const run = await commitsOf(gh, { config: { repositories: ['web'] } });
    const data = byId(run.records);
    let unlinked = 0;
    for (const sha of seeded.web) {
      const raw = gh.commitJson('acme-corp/web', sha) as RawCommit;
      if (raw.author === null) unlinked++;
      expect(data.get(`gh_commit_acme-corp/web@${sha}`)).toEqual({
        sha,
        message: raw.commit.message,
        author: raw.author?.login ?? raw.commit.author.name,
        author_email: raw.commit.author.email,
        repository: 'acme-corp/web',
        branch: 'main',
        url: `https://github.com/acme-corp/web/commit/${sha}`,
        committed_at: new Date(raw.commit.committer.date).toISOString(),
      });
    }
    expect(unlinked).toBeGreaterThan(0);
    expect(data.get(`gh_commit_acme-corp/web@${seeded.web[0]}`)?.author).toBe('octo-acme');
  });

  it('config.organization narrows to one owner; with config.repositories both apply', async () => {
    const org = await commitsOf(gh, { config: { organization: 'ACME-CORP' } });
    expect(idsOf(org.records)).toEqual(
      [...ids('acme-corp/payments-api', seeded.payments), ...ids('acme-corp/web', seeded.web)].sort(),
    );
    const user = await commitsOf(gh, {
      config: { organization: 'octo-acme', repositories: ['web', 'dotfiles'] },
    });
    expect(idsOf(user.records)).toEqual(ids('octo-acme/dotfiles', seeded.dotfiles));
    // The repositories sync narrows alike.
    const repos = await runSync('github', 'repositories', {
      credentials: gh.valid,
      baseUrl: gh.apiBaseUrl,
      config: { organization: 'octo-acme' },
    });
    expect(repos.records.map((r) => r.data.full_name)).toEqual(['octo-acme/dotfiles']);
  });

  it("an app installation reads its own repositories' commits, narrowed to its organization", async () => {
    const minted = await (await loadAdapter('github'))?.appInstall?.mintInstallationToken({
      installationId: gh.installationId,
      app: { appId: gh.appId, privateKey: appKeys.privateKey },
      baseUrl: gh.apiBaseUrl,
      http: providerHttp,
    });
    if (!minted) throw new Error('no installation token');
    const credentials: Credentials = { type: 'oauth2', access_token: minted.accessToken };
    const metadata = { installation_id: gh.installationId };
    const inst = await commitsOf(gh, { credentials, metadata });
    expect(idsOf(inst.records)).toEqual(
      [...ids('acme-corp/payments-api', seeded.payments), ...ids('acme-corp/web', seeded.web)].sort(),
    );
    const elsewhere = await commitsOf(gh, { credentials, metadata, config: { organization: 'other-org' } });
    expect(elsewhere.records).toEqual([]);
  });

  it('resumes after any page, from the checkpoint as stored', async () => {
    const all = await commitsOf(gh);
    for (let k = 1; k < all.pages; k++) {
      const first = await commitsOf(gh, {}, { maxPages: k });
      const rest = await commitsOf(gh, { checkpoint: first.checkpoints.at(-1) });
      expect(first.pages + rest.pages).toBe(all.pages);
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });
});

describe('github commits: many empty repositories', () => {
  let gh: GitHubFake;
  beforeAll(async () => {
    gh = await startGitHubFake();
  });
  afterAll(() => gh.stop());

  it('empty ones (409) are asked 50 to a page, not one each; none with commits is skipped', async () => {
    gh.seedRepositories(105);
    const late = gh.seedCommits(3, { repo: 'acme-corp/zz-late' });
    const early = gh.seedCommits(2, { repo: 'acme-corp/payments-api' });
    const run = await commitsOf(gh);
    expect(idsOf(run.records)).toEqual(
      [...ids('acme-corp/payments-api', early), ...ids('acme-corp/zz-late', late)].sort(),
    );
    // Two listing pages: payments-api, then 99 empty ones (50 + 49: a run ends with its
    // listing page); then 6 more and zz-late's read.
    expect(run.pages).toBe(1 + 2 + 1);
    for (let k = 1; k < run.pages; k++) {
      const first = await commitsOf(gh, {}, { maxPages: k });
      const rest = await commitsOf(gh, { checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(run.records));
    }
  });
});

describe('github commits: incremental', () => {
  let gh: GitHubFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gh = await startGitHubFake();
    seeded = seed(gh);
  });
  afterAll(() => gh.stop());

  it('since: only commits committed at or after it, filtered by GitHub (`since`)', async () => {
    const cut = gh.commitJson('acme-corp/payments-api', seeded.payments[200] as string) as RawCommit;
    const since = new Date(Date.parse(cut.commit.committer.date) + 400).toISOString();
    const inc = await commitsOf(gh, { since, mode: 'incremental' });
    // The cutoff is floored to its second: commit 200 itself is read again, never skipped.
    const expected = [
      ...ids('acme-corp/payments-api', seeded.payments.slice(200)),
      ...ids('acme-corp/web', seeded.web),
      ...ids('octo-acme/dotfiles', seeded.dotfiles),
    ];
    expect(idsOf(inc.records)).toEqual(expected.sort());
    // GitHub filtered them: payments-api's 30 fit one page (a full run takes three).
    expect(inc.pages).toBe(3);

    const added = gh.seedCommits(4, { repo: 'acme-corp/web' });
    const latest = gh.commitJson('acme-corp/web', added[0] as string) as RawCommit;
    const next = await commitsOf(gh, { since: latest.commit.committer.date, mode: 'incremental' });
    expect(idsOf(next.records)).toEqual(ids('acme-corp/web', added));
  });

  it('a push during a run skips nothing: the pages shift, a commit may be read twice', async () => {
    const all = await commitsOf(gh, { config: { repositories: ['payments-api'] } });
    const first = await commitsOf(gh, { config: { repositories: ['payments-api'] } }, { maxPages: 1 });
    gh.seedCommits(3, { repo: 'acme-corp/payments-api' });
    const rest = await commitsOf(gh, {
      config: { repositories: ['payments-api'] },
      checkpoint: first.checkpoints.at(-1),
    });
    const seen = new Set(idsOf([...first.records, ...rest.records]));
    for (const id of idsOf(all.records)) expect(seen.has(id), id).toBe(true);
  });
});

describe('github commits: rate limits and outages', () => {
  let gh: GitHubFake;
  let midRun: unknown;
  beforeAll(async () => {
    gh = await startGitHubFake();
    gh.seedCommits(150, { repo: 'acme-corp/payments-api' });
    midRun = (await commitsOf(gh, {}, { maxPages: 1 })).checkpoints.at(-1);
  });
  afterAll(() => gh.stop());
  const page = (checkpoint?: unknown) =>
    fetchPage('github', 'commits', {
      credentials: gh.valid,
      baseUrl: gh.apiBaseUrl,
      ...(checkpoint !== undefined ? { checkpoint } : {}),
    });

  it('rate limited (403 primary, 429 secondary) → rate_limited with the wait; 5xx → unreachable; then it goes on', async () => {
    gh.rateLimitNext(1, 90);
    const primary = await expectProviderError(page(midRun), 'rate_limited', {
      status: 403,
      secrets: secretsOf(gh.valid),
    });
    expect(primary.retryAfterSeconds).toBeGreaterThanOrEqual(89);
    gh.rateLimitNext(1, 20, { kind: 'secondary', status: 429 });
    const secondary = await expectProviderError(page(midRun), 'rate_limited', { status: 429 });
    expect(secondary.retryAfterSeconds).toBe(20);
    gh.failNext(1, 502);
    await expectProviderError(page(midRun), 'unreachable', { status: 502 });
    const rest = await commitsOf(gh, { checkpoint: midRun });
    expect(rest.records.length).toBe(50);
  });

  it('a refusal (403 without a rate limit) is rejected with GitHub’s message', async () => {
    gh.refuseNext(1);
    await expectProviderError(page(midRun), 'rejected', {
      status: 403,
      message: 'Resource not accessible by personal access token',
    });
  });
});
