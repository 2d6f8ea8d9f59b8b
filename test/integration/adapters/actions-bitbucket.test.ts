import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { message, pullRequest, repository } from '../../../adapters/models';
import { type BitbucketFake, startBitbucketFake } from '../../fakes/bitbucket';
import { runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

type Listed<K extends string> = Record<K, Record<string, unknown>[]> & { next_cursor: string | null };

let bb: BitbucketFake;
let pulls: number[];
const act = (action: string, input: Record<string, unknown>, credentials = bb.valid, config = {}) =>
  runAction('bitbucket', action, { credentials, baseUrl: bb.apiBaseUrl, config }, input);
const bare = (uuid: unknown) => String(uuid).replace(/^\{|\}$/g, '');
const stateOf = (id: number) => (bb.pullRequest('acme/payments-api', id) as { state: string }).state;

/** Every page of a list action, following next_cursor. */
const all = async <K extends string>(action: string, key: K, input: Record<string, unknown>, config = {}) => {
  const seen: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const r = (await act(action, { ...input, ...(cursor ? { cursor } : {}) }, bb.valid, config)) as Listed<K>;
    seen.push(...r[key]);
    cursor = r.next_cursor;
    pages++;
  } while (cursor && pages < 100);
  return { seen, pages };
};

beforeAll(async () => {
  bb = await startBitbucketFake();
  pulls = bb.seedPullRequests(45, { repo: 'acme/payments-api' });
  bb.seedRepos(23);
  bb.addRepo('atlassian/public-thing', { member: false, isPrivate: false });
});
afterAll(() => bb.stop());

describe('bitbucket list_repos', () => {
  it("pages through the user's repositories with an opaque cursor, oldest first, in the model", async () => {
    const { seen, pages } = await all('list_repos', 'repositories', { pagelen: 10 });
    expect(pages).toBe(3);
    expect(seen.map((r) => r.id)).toEqual(bb.repoUuids().map((u) => `bb_repo_${bare(u)}`));
    for (const { id: _, ...fields } of seen) expect(repository.safeParse(fields).success).toBe(true);
    expect(seen[0]).toMatchObject({ full_name: 'acme/payments-api', private: true, default_branch: 'main' });
  });

  it('lists one workspace: from the input, else config.workspace', async () => {
    const input = (await act('list_repos', { workspace: 'atlassian' })) as Listed<'repositories'>;
    expect(input.repositories.map((r) => r.full_name)).toEqual(['atlassian/public-thing']);
    expect(input.next_cursor).toBeNull();
    const { seen } = await all('list_repos', 'repositories', {}, { workspace: 'atlassian' });
    expect(seen.map((r) => r.full_name)).toEqual(['atlassian/public-thing']);
  });

  it("an unknown workspace → rejected with Bitbucket's message; a forged cursor is refused", async () => {
    await expectProviderError(act('list_repos', { workspace: 'nope' }), 'rejected', {
      status: 404,
      message: "No workspace with identifier 'nope'.",
    });
    await expect(act('list_repos', { cursor: 'not a cursor' })).rejects.toThrow(/input refused/);
    await expectProviderError(
      act('list_repos', { cursor: Buffer.from('page=1\n<script>').toString('base64url') }),
      'rejected',
      { message: 'The cursor is not one this tool gave.' },
    );
  });

  it('rate limit → rate_limited without a wait (Bitbucket names none); 5xx → unreachable; refusal → rejected', async () => {
    bb.failNext('rate_limit');
    const e = await expectProviderError(act('list_repos', {}), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBeUndefined();
    bb.failNext('down');
    await expectProviderError(act('list_repos', {}), 'unreachable', { status: 500 });
    bb.failNext('refuse');
    await expectProviderError(act('list_repos', {}), 'rejected', {
      status: 403,
      message: /^Your credentials lack one or more required privilege scopes\./,
    });
  });
});

describe('bitbucket list_pull_requests', () => {
  it('pages through the open pull requests, newest first, with the same ids as the sync', async () => {
    const open = pulls.filter((id) => stateOf(id) === 'OPEN');
    const { seen, pages } = await all('list_pull_requests', 'pull_requests', {
      repo: 'acme/payments-api',
      pagelen: 10,
    });
    expect(pages).toBe(Math.ceil(open.length / 10));
    const uuid = bare(bb.repo('acme/payments-api')?.uuid);
    expect(seen.map((p) => p.id)).toEqual(open.map((id) => `bb_pr_${uuid}_${id}`).reverse());
    for (const { id: _, ...fields } of seen) {
      expect(pullRequest.safeParse(fields).success).toBe(true);
      expect(['open', 'in_progress']).toContain(fields.status);
    }
    const synced = await runSync('bitbucket', 'pull_requests', {
      credentials: bb.valid,
      baseUrl: bb.apiBaseUrl,
      config: { workspace: 'acme' },
    });
    const syncedIds = new Set(synced.records.map((r) => r.id));
    for (const p of seen) expect(syncedIds.has(String(p.id))).toBe(true);
  });

  it('filters by state, ALL for every one', async () => {
    const merged = (await act('list_pull_requests', {
      repo: 'acme/payments-api',
      state: 'MERGED',
      pagelen: 50,
    })) as Listed<'pull_requests'>;
    expect(merged.pull_requests.map((p) => p.number)).toEqual(
      pulls.filter((id) => stateOf(id) === 'MERGED').reverse(),
    );
    expect(new Set(merged.pull_requests.map((p) => p.status))).toEqual(new Set(['done']));
    const { seen } = await all('list_pull_requests', 'pull_requests', {
      repo: 'acme/payments-api',
      state: 'ALL',
      pagelen: 50,
    });
    expect(seen).toHaveLength(45);
    expect(new Set(seen.map((p) => p.raw_status))).toEqual(
      new Set(['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED']),
    );
  });

  it("an unknown repository → rejected with Bitbucket's 404 message", async () => {
    await expectProviderError(act('list_pull_requests', { repo: 'acme/nope' }), 'rejected', {
      status: 404,
      message: /^You may not have access to this repository or it no longer exists in this workspace\./,
      secrets: secretsOf(bb.valid),
    });
  });

  it('rate limit → rate_limited; 5xx → unreachable', async () => {
    bb.failNext('rate_limit');
    await expectProviderError(act('list_pull_requests', { repo: 'acme/payments-api' }), 'rate_limited', {
      status: 429,
    });
    bb.failNext('down');
    await expectProviderError(act('list_pull_requests', { repo: 'acme/payments-api' }), 'unreachable', {
      status: 500,
    });
  });

  it('refuses input the schema does not allow', async () => {
    await expect(act('list_pull_requests', { repo: 'not a repo' })).rejects.toThrow(/input refused/);
    await expect(act('list_pull_requests', { repo: 'acme/web', state: 'open' })).rejects.toThrow(
      /input refused/,
    );
    await expect(act('list_pull_requests', { repo: 'acme/web', pagelen: 51 })).rejects.toThrow(
      /input refused/,
    );
  });
});

describe('bitbucket comment_on_pull_request', () => {
  it('comments (201) and answers the comment as a message; Bitbucket holds it', async () => {
    const id = pulls[4] as number;
    const before = bb.requests.length;
    const r = (await act('comment_on_pull_request', {
      repo: 'acme/payments-api',
      pull_request_id: id,
      body: 'Looks good — **ship it**.',
    })) as { comment: Record<string, unknown> };
    const held = bb.comments('acme/payments-api', id);
    expect(held).toHaveLength(1);
    const c = held[0] as { id: number; content: { raw: string }; created_on: string };
    expect(c.content.raw).toBe('Looks good — **ship it**.');
    const { id: commentId, ...fields } = r.comment;
    expect(message.safeParse(fields).success).toBe(true);
    expect(r.comment).toEqual({
      id: `bb_comment_${c.id}`,
      text: 'Looks good — **ship it**.',
      channel: 'acme/payments-api',
      author: 'jdoe',
      url: `https://bitbucket.org/acme/payments-api/pull-requests/${id}/_/diff#comment-${c.id}`,
      thread_id: `acme/payments-api#${id}`,
      created_at: new Date(c.created_on).toISOString(),
    });
    expect(commentId).toBe(`bb_comment_${c.id}`);
    expect(bb.requests[before]).toMatchObject({
      method: 'POST',
      path: `/2.0/repositories/acme/payments-api/pullrequests/${id}/comments`,
    });
  });

  it("an unknown pull request or repository → rejected with Bitbucket's message", async () => {
    await expectProviderError(
      act('comment_on_pull_request', { repo: 'acme/payments-api', pull_request_id: 9999, body: 'x' }),
      'rejected',
      { status: 404, message: 'Pull request 9999 not found' },
    );
    await expectProviderError(
      act('comment_on_pull_request', { repo: 'acme/nope', pull_request_id: 1, body: 'x' }),
      'rejected',
      { status: 404, message: /^You may not have access to this repository/ },
    );
  });

  it("Bitbucket's field errors → rejected, as one readable message", async () => {
    await expectProviderError(
      act('comment_on_pull_request', { repo: 'acme/payments-api', pull_request_id: 3, body: '   ' }),
      'rejected',
      { status: 400, message: 'Bad request — content: This field is required.' },
    );
  });

  it('a token without the pullrequest scope → rejected (403), naming the scopes', async () => {
    await expectProviderError(
      act(
        'comment_on_pull_request',
        { repo: 'acme/payments-api', pull_request_id: 1, body: 'x' },
        bb.accountOnly,
      ),
      'rejected',
      {
        status: 403,
        message:
          'Your credentials lack one or more required privilege scopes. (required: pullrequest; granted: account)',
        secrets: secretsOf(bb.accountOnly),
      },
    );
    expect(bb.comments('acme/payments-api', 1)).toHaveLength(0);
  });

  it('rate limit → rate_limited; 5xx → unreachable; an empty body never leaves', async () => {
    const input = { repo: 'acme/payments-api', pull_request_id: 2, body: 'x' };
    bb.failNext('rate_limit');
    await expectProviderError(act('comment_on_pull_request', input), 'rate_limited', { status: 429 });
    bb.failNext('down');
    await expectProviderError(act('comment_on_pull_request', input), 'unreachable', { status: 500 });
    await expect(act('comment_on_pull_request', { ...input, body: '' })).rejects.toThrow(/input refused/);
    expect(bb.comments('acme/payments-api', 2)).toHaveLength(0);
  });

  it('declares its project field and what it writes', async () => {
    const actions = (await loadAdapter('bitbucket'))?.manifest.actions ?? [];
    expect(actions.map((a) => [a.name, a.writes, a.projectField])).toEqual([
      ['list_repos', false, undefined],
      ['list_pull_requests', false, 'repo'],
      ['comment_on_pull_request', true, 'repo'],
    ]);
  });
});
