import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord, WebhookEffect, WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type GitHubFake, startGitHubFake } from '../../fakes/github';
import { randomToken } from '../../fakes/server';
import type { ReceivedWebhook } from '../../fakes/webhook-outbox';
import { runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { eventsAsTheyCome, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('github');
/** A webhook endpoint that verifies like the service's receiver: 200, or 401 on a refusal. */
const startReceiver = (secret: string) => startVerifyingReceiver(hooks, secret);

const recordsOf = (effect: WebhookEffect | undefined, sync: string): SyncRecord[] => {
  if (effect?.kind !== 'records' || effect.sync !== sync) throw new Error(`not records of ${sync}`);
  return effect.records;
};

describe('github webhooks', () => {
  const secret = randomToken(40);
  let gh: GitHubFake;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let issueIds: number[];
  let pullIds: number[];
  const events = eventsAsTheyCome(hooks, secret);
  /** Deliveries received so far that were not looked at yet, processed. */
  const next = () => events(gh, receiver.received);
  const synced = async (sync: string) =>
    new Map(
      (await runSync('github', sync, { credentials: gh.valid, baseUrl: gh.apiBaseUrl })).records.map((r) => [
        r.id,
        r,
      ]),
    );

  beforeAll(async () => {
    gh = await startGitHubFake();
    issueIds = gh.seedIssues(6, { repo: 'acme-corp/payments-api' });
    pullIds = gh.seedPullRequests(4, { repo: 'acme-corp/payments-api', kind: 'open' });
    receiver = await startReceiver(secret);
    gh.registerWebhook(receiver.url, secret, { target: { type: 'app' } });
  });
  afterAll(async () => {
    await gh.stop();
    await receiver.stop();
  });

  describe('verify', () => {
    it("passes GitHub's own delivery, named by X-GitHub-Delivery and X-GitHub-Event (ping first)", async () => {
      const [ping] = await next();
      expect(ping?.eventType).toBe('ping');
      expect(ping?.deliveryId).toBe(receiver.received[0]?.headers['x-github-delivery']);
      expect(ping?.deliveryId).toMatch(/^[0-9a-f-]{36}$/);
      expect(gh.deliveries()[0]?.status).toBe(200);
      // Nothing in the records changes on a ping; the app's ping names no installation.
      expect(ping?.effect).toBeUndefined();
    });

    it('refuses a missing, malformed, short, tampered or foreign signature, and a tampered body', () => {
      const good = receiver.received[0] as ReceivedWebhook;
      const sig = good.headers['x-hub-signature-256'] as string;
      const { 'x-hub-signature-256': _, ...unsigned } = good.headers;
      const variants: WebhookRequest[] = [
        { ...good, headers: unsigned },
        { ...good, headers: { ...good.headers, 'x-hub-signature-256': '' } },
        // The legacy SHA-1 header alone is not enough.
        { ...good, headers: { ...unsigned, 'x-hub-signature': good.headers['x-hub-signature'] as string } },
        { ...good, headers: { ...good.headers, 'x-hub-signature-256': sig.slice(7) } },
        { ...good, headers: { ...good.headers, 'x-hub-signature-256': sig.slice(0, -2) } },
        {
          ...good,
          headers: {
            ...good.headers,
            'x-hub-signature-256': `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`,
          },
        },
        { ...good, rawBody: good.rawBody.replace('"zen"', '"Zen"') },
      ];
      for (const v of variants) expect(() => hooks.verify(v, secret, Date.now())).toThrow(WebhookRefused);
      expect(() => hooks.verify(good, randomToken(40), Date.now())).toThrow(WebhookRefused);
      // Signed, but without GitHub's delivery headers: not GitHub's.
      const { 'x-github-delivery': __, ...anonymous } = good.headers;
      expect(() => hooks.verify({ ...good, headers: anonymous }, secret, Date.now())).toThrow(WebhookRefused);
    });

    it('signs no time: a redelivery passes with the same delivery id, which is what dedupes it', async () => {
      const again = await gh.redeliver(0);
      expect(again.status).toBe(200);
      const [redelivered] = await next();
      expect(redelivered?.deliveryId).toBe(receiver.received[0]?.headers['x-github-delivery']);
    });

    it('a hook with another secret is refused at the receiver (401 on the delivery)', async () => {
      const other = await startReceiver(secret);
      const fake = await startGitHubFake();
      fake.registerWebhook(other.url, randomToken(40));
      await fake.webhooksSettled();
      expect(fake.deliveries().map((d) => d.status)).toEqual([401]);
      await fake.stop();
      await other.stop();
    });

    it('checks the HMAC over the raw bytes (a body re-serialised differently fails)', () => {
      const good = receiver.received[0] as ReceivedWebhook;
      const reserialised = JSON.stringify(JSON.parse(good.rawBody), null, 2);
      expect(() => hooks.verify({ ...good, rawBody: reserialised }, secret, Date.now())).toThrow(
        WebhookRefused,
      );
      const resigned = `sha256=${createHmac('sha256', secret).update(reserialised).digest('hex')}`;
      expect(
        hooks.verify(
          { ...good, rawBody: reserialised, headers: { ...good.headers, 'x-hub-signature-256': resigned } },
          secret,
          0,
        ),
      ).toMatchObject({ kind: 'event', eventType: 'ping' });
    });
  });

  describe('route', () => {
    it("names the installation, the repository's owner and the organization, as connect time stores them", async () => {
      const [first] = issueIds;
      gh.updateIssue(first as number, { title: 'Routed' });
      const [edited] = await next();
      expect(edited?.eventType).toBe('issues');
      expect(new Set(edited?.keys)).toEqual(
        new Set([
          `installation:${gh.installationId}`,
          `account:${gh.installationAccount.id}`,
          'login:acme-corp',
        ]),
      );
    });

    it('keys are typed: installation 42 is not account 42 (like matches like only)', () => {
      const event = {
        action: 'opened',
        installation: { id: 42 },
        repository: { full_name: 'someone/else', owner: { id: 9001, login: 'someone' } },
      };
      const keys = new Set<string>(hooks.route(event, 'issues'));
      expect(keys).toEqual(new Set(['installation:42', 'account:9001', 'login:someone']));
      const reaches = (c: { account: { id: string; name: string }; metadata: Record<string, string> }) =>
        hooks.connectionKeys(c).some((k) => keys.has(k));
      // Its provider account id is 42, its installation 7: not this event's.
      expect(reaches({ account: { id: '42', name: 'acme' }, metadata: { installation_id: '7' } })).toBe(
        false,
      );
      expect(reaches({ account: { id: '5', name: 'other' }, metadata: { installation_id: '42' } })).toBe(
        true,
      );
      // An OAuth connection of the repository's owner, by account id or login.
      expect(reaches({ account: { id: '9001', name: 'x' }, metadata: {} })).toBe(true);
      expect(reaches({ account: { id: '1', name: 'Someone' }, metadata: {} })).toBe(true);
      // An installation without an account keeps its id as the account's: not an account key.
      expect(
        hooks.connectionKeys({
          account: { id: '42', name: 'installation 42' },
          metadata: { installation_id: '42' },
        }),
      ).toEqual(['installation:42', 'login:installation 42']);
    });

    it("a repository hook on a user's repository routes to the user (no installation)", async () => {
      gh.addRepository('octo-acme/dotfiles');
      gh.registerWebhook(receiver.url, secret, {
        target: { type: 'repository', fullName: 'octo-acme/dotfiles' },
      });
      gh.seedIssues(1, { repo: 'octo-acme/dotfiles' });
      const events = await next();
      expect(events.map((e) => e.eventType)).toEqual(['ping', 'issues']);
      expect(events[1]?.keys).toEqual([`account:${gh.account.id}`, `login:${gh.account.name.toLowerCase()}`]);
      expect(hooks.route({ zen: 'x' }, 'ping')).toEqual([]);
      expect(hooks.route('not an object', 'ping')).toEqual([]);
    });
  });

  describe('apply: the same records as the syncs', () => {
    it('issues: every kind of change carries the issue whole, mapped as the issues sync maps it', async () => {
      const id = issueIds[1] as number;
      gh.updateIssue(id, {
        title: 'Payments time out',
        body: 'Seen twice.',
        state: 'closed',
        state_reason: 'not_planned',
        labels: ['bug', 'infra'],
        assignees: ['hubot'],
        milestone: { title: 'v2', due_on: '2025-09-30T07:00:00Z' },
      });
      const events = await next();
      expect(events.map((e) => (e.payload as { action: string }).action).sort()).toEqual(
        expect.arrayContaining(['edited', 'closed', 'labeled', 'unassigned', 'milestoned']),
      );
      const fromSync = (await synced('issues')).get(`gh_issue_${id}`);
      expect(fromSync?.data).toMatchObject({
        status: 'cancelled',
        raw_status: 'not_planned',
        due_date: '2025-09-30',
      });
      for (const e of events) expect(recordsOf(e.effect, 'issues')).toEqual([fromSync]);
    });

    it('issues: opened and reopened, through the REST API too', async () => {
      gh.seedIssues(1);
      const created = await runAction(
        'github',
        'create_issue',
        { credentials: gh.valid, baseUrl: gh.apiBaseUrl },
        {
          repo: 'acme-corp/payments-api',
          title: 'Filed through the API',
          labels: ['bug'],
        },
      );
      gh.updateIssue(issueIds[0] as number, { state: 'closed', state_reason: 'completed' });
      gh.updateIssue(issueIds[0] as number, { state: 'open' });
      const events = await next();
      expect(events.map((e) => (e.payload as { action: string }).action)).toEqual([
        'opened',
        'opened',
        'closed',
        'reopened',
      ]);
      const sync = await synced('issues');
      const [seeded, viaApi, , reopened] = events.map((e) => recordsOf(e.effect, 'issues')[0] as SyncRecord);
      expect(viaApi?.id).toBe((created.issue as { id: string }).id);
      for (const r of [seeded, viaApi, reopened]) expect(r).toEqual(sync.get(r?.id ?? ''));
      expect(reopened?.data).toMatchObject({ status: 'open', raw_status: 'open' });
    });

    it('issues: deleted → the id deleted; transferred → deleted here, the new issue upserted', async () => {
      const [deleted, moved] = [issueIds[3] as number, issueIds[4] as number];
      gh.deleteIssue(deleted);
      const newId = gh.transferIssue(moved, 'acme-corp/web');
      const events = await next();
      const effects = events.filter((e) => e.eventType === 'issues').map((e) => e.effect);
      expect(effects[0]).toEqual({
        kind: 'records',
        sync: 'issues',
        records: [],
        deletedIds: [`gh_issue_${deleted}`],
      });
      const transfer = effects.at(-1);
      expect(transfer?.kind === 'records' && transfer.deletedIds).toEqual([`gh_issue_${moved}`]);
      const sync = await synced('issues');
      expect(sync.has(`gh_issue_${deleted}`)).toBe(false);
      expect(sync.has(`gh_issue_${moved}`)).toBe(false);
      expect(recordsOf(transfer, 'issues')).toEqual([sync.get(`gh_issue_${newId}`)]);
      expect(sync.get(`gh_issue_${newId}`)?.data.project).toBe('acme-corp/web');
    });

    it('issue_comment: the issue, with the updated_at the comment moved; on a pull request nothing', async () => {
      const call = { credentials: gh.valid, baseUrl: gh.apiBaseUrl };
      const issueNumber = gh.issue(issueIds[5] as number)?.number as number;
      const pullNumber = gh.pullRequest(pullIds[0] as number)?.number as number;
      await runAction('github', 'comment_on_issue', call, {
        repo: 'acme-corp/payments-api',
        issue_number: issueNumber,
        body: 'Looking.',
      });
      await runAction('github', 'comment_on_issue', call, {
        repo: 'acme-corp/payments-api',
        issue_number: pullNumber,
        body: 'LGTM',
      });
      const [onIssue, onPull] = await next();
      expect([onIssue?.eventType, onPull?.eventType]).toEqual(['issue_comment', 'issue_comment']);
      expect(recordsOf(onIssue?.effect, 'issues')).toEqual([
        (await synced('issues')).get(`gh_issue_${issueIds[5]}`),
      ]);
      expect(onPull?.effect).toBeUndefined();
    });

    it('pull_request: merged, draft and review changes, mapped as the pull_requests sync maps them', async () => {
      const [merged, draft, reviewed] = pullIds as [number, number, number];
      gh.updatePullRequest(merged, { merged: true });
      gh.updatePullRequest(draft, { draft: true, labels: ['wip'] });
      gh.updatePullRequest(reviewed, { requested_reviewers: ['octo-acme'] });
      const events = await next();
      expect(events.map((e) => `${e.eventType}:${(e.payload as { action: string }).action}`)).toEqual([
        'pull_request:closed',
        'pull_request:labeled',
        'pull_request:unlabeled',
        'pull_request:converted_to_draft',
        'pull_request:review_requested',
        'pull_request:review_request_removed',
      ]);
      const sync = await synced('pull_requests');
      for (const e of events) {
        const [r] = recordsOf(e.effect, 'pull_requests');
        expect(r).toEqual(sync.get(r?.id ?? ''));
      }
      expect(sync.get(`gh_pr_${merged}`)?.data).toMatchObject({ status: 'done', raw_status: 'merged' });
      expect(sync.get(`gh_pr_${draft}`)?.data).toMatchObject({ status: 'in_progress', draft: true });
      expect(sync.get(`gh_pr_${reviewed}`)?.data.reviewers).toEqual(['octo-acme']);
    });

    it('repository: created, archived, edited and deleted, as the repositories sync sees them', async () => {
      gh.addRepository('acme-corp/ledger', { description: 'Double entry.' });
      gh.addRepository('acme-corp/payments-api', { archived: true, description: 'Legacy payments.' });
      const events = (await next()).filter((e) => e.eventType === 'repository');
      expect(events.map((e) => (e.payload as { action: string }).action)).toEqual([
        'created',
        'edited',
        'archived',
        'edited',
      ]);
      const sync = await synced('repositories');
      const last = new Map(events.flatMap((e) => recordsOf(e.effect, 'repositories')).map((r) => [r.id, r]));
      expect([...last.values()]).toEqual([...last.keys()].map((id) => sync.get(id)));
      expect(
        [...last.values()].find((r) => r.data.full_name === 'acme-corp/payments-api')?.data.archived,
      ).toBe(true);

      gh.deleteRepository('acme-corp/ledger');
      const [gone] = await next();
      const ledger = [...last.values()].find((r) => r.data.full_name === 'acme-corp/ledger');
      expect(gone?.effect).toEqual({
        kind: 'records',
        sync: 'repositories',
        records: [],
        deletedIds: [ledger?.id],
      });
      expect((await synced('repositories')).has(ledger?.id ?? '')).toBe(false);
    });
  });

  describe('push, deployment_status, workflow_run', () => {
    it('push to the default branch → an incremental commits run; the commits then read are those pushed', async () => {
      const before = new Set(
        (await runSync('github', 'commits', { credentials: gh.valid, baseUrl: gh.apiBaseUrl })).records.map(
          (r) => r.id,
        ),
      );
      const shas = gh.seedCommits(3, { repo: 'acme-corp/payments-api' });
      const [push] = await next();
      expect(push?.eventType).toBe('push');
      expect(push?.payload).toMatchObject({ ref: 'refs/heads/main', after: shas[2] });
      expect(((push?.payload.commits ?? []) as { id: string }[]).map((c) => c.id)).toEqual(shas);
      expect(new Set(push?.keys)).toEqual(
        new Set([
          `installation:${gh.installationId}`,
          `account:${gh.installationAccount.id}`,
          'login:acme-corp',
        ]),
      );
      expect(push?.effect).toEqual({ kind: 'sync', syncs: ['commits'] });
      const after = await runSync('github', 'commits', { credentials: gh.valid, baseUrl: gh.apiBaseUrl });
      expect(
        after.records
          .map((r) => r.id)
          .filter((id) => !before.has(id))
          .sort(),
      ).toEqual(shas.map((s) => `gh_commit_acme-corp/payments-api@${s}`).sort());
    });

    it('push to another branch, or deleting one, changes no record', async () => {
      gh.seedCommits(2, { repo: 'acme-corp/payments-api', branch: 'feature/x' });
      const [push] = await next();
      expect(push?.payload.ref).toBe('refs/heads/feature/x');
      expect(push?.effect).toBeUndefined();
      const deleted = { ref: 'refs/heads/main', deleted: true, repository: { default_branch: 'main' } };
      expect(hooks.apply(deleted, 'push')).toBeUndefined();
    });

    it('deployment_status and workflow_run: routed like the rest, no records effect (provider.event only)', async () => {
      gh.sendDeploymentStatus('acme-corp/payments-api', 'success');
      gh.sendWorkflowRun('acme-corp/payments-api', 'completed', 'failure');
      const [deployment, run] = await next();
      expect(deployment?.eventType).toBe('deployment_status');
      expect(deployment?.payload).toMatchObject({
        action: 'created',
        deployment_status: { state: 'success' },
      });
      expect(run?.eventType).toBe('workflow_run');
      expect(run?.payload).toMatchObject({
        action: 'completed',
        workflow_run: { status: 'completed', conclusion: 'failure', head_branch: 'main' },
      });
      for (const e of [deployment, run]) {
        expect(e?.keys).toContain(`installation:${gh.installationId}`);
        expect(e?.effect).toBeUndefined();
      }
    });

    it('config.events: which events go out as provider.event, by name or name.action (default all)', () => {
      const forward = hooks.forward;
      if (!forward) throw new Error('github webhooks have no forward');
      const c = (events?: string[]) => ({ config: events ? { events } : {}, metadata: {} });
      const run = { action: 'completed', workflow_run: {} };
      expect(forward(run, 'workflow_run', c())).toBe(true);
      expect(forward(run, 'workflow_run', c([]))).toBe(true);
      expect(forward(run, 'workflow_run', c(['push']))).toBe(false);
      expect(forward(run, 'workflow_run', c(['push', 'workflow_run']))).toBe(true);
      expect(forward(run, 'workflow_run', c(['workflow_run.completed']))).toBe(true);
      expect(forward({ ...run, action: 'requested' }, 'workflow_run', c(['workflow_run.completed']))).toBe(
        false,
      );
      expect(forward({ ref: 'refs/heads/main' }, 'push', c(['push.completed']))).toBe(false);
    });

    it('config.organization: an event of another owner’s repository changes nothing', () => {
      const push = {
        ref: 'refs/heads/main',
        repository: { name: 'b', full_name: 'other/b', default_branch: 'main' },
      };
      expect(
        hooks.apply(push, 'push', { config: { organization: 'acme-corp' }, metadata: {} }),
      ).toBeUndefined();
      expect(hooks.apply(push, 'push', { config: { organization: 'Other' }, metadata: {} })).toEqual({
        kind: 'sync',
        syncs: ['commits'],
      });
    });
  });

  describe('apply: everything else', () => {
    it('events without records effects, and installation changes as a repositories run', () => {
      expect(hooks.apply({ action: 'created', installation: { id: 1 } }, 'installation')).toBeUndefined();
      // A push that does not say its repository's default branch: the commits sync finds out.
      expect(hooks.apply({ ref: 'refs/heads/main' }, 'push')).toEqual({ kind: 'sync', syncs: ['commits'] });
      expect(hooks.apply({ action: 'added' }, 'installation_repositories')).toEqual({
        kind: 'sync',
        syncs: ['repositories'],
      });
    });

    it("an event of a repository outside the connection's config.repositories changes nothing", () => {
      const partial = {
        action: 'edited',
        issue: { id: 1, title: 'x' },
        repository: { name: 'b', full_name: 'a/b' },
      };
      expect(
        hooks.apply(partial, 'issues', { config: { repositories: ['a/other'] }, metadata: {} }),
      ).toBeUndefined();
      expect(hooks.apply(partial, 'issues', { config: { repositories: ['A/B'] }, metadata: {} })).toEqual({
        kind: 'sync',
        syncs: ['issues'],
      });
    });

    it('a payload without what the mapping needs runs the sync that owns it instead', () => {
      const partial = {
        action: 'edited',
        issue: { id: 1, title: 'no more' },
        repository: { full_name: 'a/b' },
      };
      expect(hooks.apply(partial, 'issues')).toEqual({ kind: 'sync', syncs: ['issues'] });
      expect(hooks.apply({ action: 'opened' }, 'pull_request')).toEqual({
        kind: 'sync',
        syncs: ['pull_requests'],
      });
      // A push event's repository has numeric timestamps: not the REST shape either.
      const repo = {
        id: 1,
        name: 'b',
        full_name: 'a/b',
        private: true,
        html_url: 'x',
        description: null,
        created_at: 1700000000,
        updated_at: 'x',
      };
      expect(hooks.apply({ action: 'edited', repository: repo }, 'repository')).toEqual({
        kind: 'sync',
        syncs: ['repositories'],
      });
    });
  });
});
