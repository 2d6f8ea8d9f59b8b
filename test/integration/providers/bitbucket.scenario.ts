import { expect } from 'vitest';
import { startBitbucketFake } from '../../fakes/bitbucket';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Bitbucket against its fake, connected with a username and app password (HTTP Basic): 104
 * member repositories (two listing pages) — payments-api with 70 pull requests (two pages of
 * 50) in every state, web with a few, the user's own dotfiles without any, and 101 empty ones —
 * and a public repository of another workspace the user is no member of, whose pull requests
 * no sync reads.
 */
const scenario: ProviderScenario = {
  provider: 'bitbucket',
  start: async () => {
    const bb = await startBitbucketFake();
    const payments = bb.seedPullRequests(70, { repo: 'acme/payments-api' });
    const web = bb.seedPullRequests(8, { repo: 'acme/web' });
    bb.addRepo('jdoe/dotfiles');
    bb.seedRepos(101);
    bb.seedPullRequests(5, { repo: 'atlassian/public-thing' });
    bb.addRepo('atlassian/public-thing', { member: false, isPrivate: false });
    const paymentsUuid = String(bb.repo('acme/payments-api')?.uuid).replace(/^\{|\}$/g, '');
    const state = (id: number) => (bb.pullRequest('acme/payments-api', id) as { state: string }).state;

    return {
      stop: () => bb.stop(),
      integration: { provider: 'bitbucket', endpoints: { api_base_url: bb.apiBaseUrl } },
      connection: { credentials: bb.valid as Record<string, unknown> },
      syncs: {
        repositories: { model: 'repository', count: 104 },
        pull_requests: { model: 'pull_request', count: payments.length + web.length },
      },
      actions: {
        list_pull_requests: {
          input: { repo: 'acme/payments-api', state: 'ALL', pagelen: 50 },
          check: (data: Json) => {
            expect(data.pull_requests).toHaveLength(50);
            // Newest first.
            expect(data.pull_requests[0].id).toBe(`bb_pr_${paymentsUuid}_${payments.at(-1)}`);
            for (const p of data.pull_requests) expect(p.repository).toBe('acme/payments-api');
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        list_repos: {
          input: { pagelen: 100 },
          check: (data: Json) => {
            expect(data.repositories).toHaveLength(100);
            expect(data.repositories[0].full_name).toBe('acme/payments-api');
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        comment_on_pull_request: {
          input: {
            repo: 'acme/payments-api',
            pull_request_id: payments.find((id) => state(id) === 'OPEN') ?? 1,
            body: 'Could you add a test for the refund path?',
          },
          check: (data: Json) => {
            const id = payments.find((p) => state(p) === 'OPEN') ?? 1;
            const held = bb.comments('acme/payments-api', id);
            expect(held).toHaveLength(1);
            const c = held[0] as { id: number };
            expect(data.comment).toMatchObject({
              id: `bb_comment_${c.id}`,
              text: 'Could you add a test for the refund path?',
              channel: 'acme/payments-api',
              author: 'jdoe',
              thread_id: `acme/payments-api#${id}`,
            });
          },
        },
      },
      probe: 'list_pull_requests',
      failNext: (kind) => bb.failNext(kind),
      refusalMessage: 'Your credentials lack one or more required privilege scopes.',
    };
  },
};

export default scenario;
