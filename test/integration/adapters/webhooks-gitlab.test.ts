import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type GitLabFake, startGitLabFake } from '../../fakes/gitlab';
import { randomToken } from '../../fakes/server';
import { startWebhookReceiver } from '../../fakes/webhook-outbox';
import { runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { eventsAsTheyCome, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('gitlab');
const attributes = (e: { payload: Record<string, unknown> }) =>
  e.payload.object_attributes as Record<string, unknown>;

describe('gitlab webhooks', () => {
  const token = randomToken(32);
  let gl: GitLabFake;
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  let issueIds: number[];
  let mrIds: number[];
  const events = eventsAsTheyCome(hooks, token);
  const next = () => events(gl, receiver.received);

  beforeAll(async () => {
    gl = await startGitLabFake();
    issueIds = gl.seedIssues(4);
    mrIds = gl.seedMergeRequests(3);
    receiver = await startVerifyingReceiver(hooks, token);
    gl.registerWebhook(receiver.url, token, { group: 'acme' });
  });
  afterAll(async () => {
    await gl.stop();
    await receiver.stop();
  });

  describe('verify', () => {
    it('passes the secret token, named by Idempotency-Key and X-Gitlab-Event', async () => {
      gl.updateIssue(issueIds[0] as number, { title: 'Refunds fail' });
      const [e] = await next();
      const sent = receiver.received.at(-1) as WebhookRequest;
      expect(e?.eventType).toBe('Issue Hook');
      expect(e?.deliveryId).toBe(sent.headers['idempotency-key']);
      expect(gl.deliveries().at(-1)?.status).toBe(200);
    });

    it('refuses a missing, empty, partial or wrong token, and a delivery without its event', () => {
      const good = receiver.received.at(-1) as WebhookRequest;
      const { 'x-gitlab-token': _, ...untokened } = good.headers;
      const { 'x-gitlab-event': __, ...unnamed } = good.headers;
      for (const r of [
        { ...good, headers: untokened },
        { ...good, headers: { ...good.headers, 'x-gitlab-token': '' } },
        { ...good, headers: { ...good.headers, 'x-gitlab-token': token.slice(0, -1) } },
        { ...good, headers: { ...good.headers, 'x-gitlab-token': `${token}x` } },
        { ...good, headers: unnamed },
      ]) {
        expect(() => hooks.verify(r, token, Date.now())).toThrow(WebhookRefused);
      }
      expect(() => hooks.verify(good, randomToken(32), Date.now())).toThrow(WebhookRefused);
    });

    it('a retry keeps its Idempotency-Key; older instances are named by X-Gitlab-Event-UUID, or the body', async () => {
      const index = gl.deliveries().length - 1;
      await gl.redeliver(index);
      const [retried] = await next();
      const first = gl.deliveries()[index];
      expect(retried?.deliveryId).toBe(first?.headers['idempotency-key']);
      const good = receiver.received.at(-1) as WebhookRequest;
      const { 'idempotency-key': _, ...older } = good.headers;
      expect(hooks.verify({ ...good, headers: older }, token, 0)).toMatchObject({
        deliveryId: good.headers['x-gitlab-event-uuid'],
      });
      const { 'x-gitlab-event-uuid': __, ...oldest } = older;
      const a = hooks.verify({ ...good, headers: oldest }, token, 0);
      const b = hooks.verify({ ...good, headers: oldest }, token, 0);
      expect(a.kind === 'event' && a.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(a).toEqual(b);
    });
  });

  describe('route', () => {
    it('names the project, its namespaces and who acted (the connection stores the user id and username)', async () => {
      gl.updateIssue(issueIds[1] as number, { labels: ['triage'] });
      const [e] = await next();
      expect(e?.keys).toEqual([
        'namespace:acme',
        'namespace:acme/payments-api',
        `user:${gl.account.id}`,
        `login:${gl.account.name.toLowerCase()}`,
      ]);
      // The connection: its user by id and username, and its personal namespace.
      expect(hooks.connectionKeys({ account: gl.account, metadata: {} })).toEqual([
        `user:${gl.account.id}`,
        `login:${gl.account.name.toLowerCase()}`,
        `namespace:${gl.account.name.toLowerCase()}`,
      ]);
      expect(
        hooks.route(
          { user_id: 7, user_username: 'sam', project: { path_with_namespace: 'jdoe/dots' } },
          'Push Hook',
        ),
      ).toEqual(['namespace:jdoe', 'namespace:jdoe/dots', 'user:7', 'login:sam']);
      expect(hooks.route([], 'Issue Hook')).toEqual([]);
    });
  });

  describe('apply', () => {
    it('issue events are not the REST shape: an incremental issues run reads the change', async () => {
      // The fake's clock runs ahead of the wall clock: after everything it has stamped so far.
      const stamped = gl.issueIds().map((id) => Date.parse(String(gl.issue(id)?.updated_at)));
      const since = new Date(Math.max(...stamped) + 1000).toISOString();
      gl.updateIssue(issueIds[2] as number, { state: 'opened' });
      const created = (await runAction(
        'gitlab',
        'create_issue',
        { credentials: gl.valid, baseUrl: gl.apiBaseUrl },
        { project: 'acme/payments-api', title: 'From the API' },
      )) as { issue: { id: string } };
      const events = await next();
      expect(events.map((e) => attributes(e).action)).toEqual(['reopen', 'open']);
      for (const e of events) {
        expect(e.effect).toEqual({ kind: 'sync', syncs: ['issues'] });
        // Seconds, where the REST objects the sync maps carry milliseconds.
        expect(attributes(e).updated_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
      }
      const run = await runSync('gitlab', 'issues', { credentials: gl.valid, baseUrl: gl.apiBaseUrl, since });
      expect(run.records.map((r) => r.id).sort()).toEqual(
        [`gl_issue_${issueIds[2]}`, created.issue.id].sort(),
      );
    });

    it('Pipeline Hook (object_kind pipeline): applied at once, the same record as the pipelines sync', async () => {
      const [created] = gl.seedPipelines(1, { project: 'acme/payments-api', status: 'pending' });
      gl.updatePipeline(created as number, 'running');
      gl.updatePipeline(created as number, 'failed');
      const events = await next();
      expect(events.map((e) => `${e.eventType}:${attributes(e).status}`)).toEqual([
        'Pipeline Hook:pending',
        'Pipeline Hook:running',
        'Pipeline Hook:failed',
      ]);
      expect(events[0]?.payload.object_kind).toBe('pipeline');
      expect(new Set(events[0]?.keys)).toEqual(
        new Set([
          'namespace:acme',
          'namespace:acme/payments-api',
          `user:${gl.account.id}`,
          `login:${gl.account.name}`,
        ]),
      );
      const synced = await runSync('gitlab', 'pipelines', {
        credentials: gl.valid,
        baseUrl: gl.apiBaseUrl,
        config: { projects: ['acme/payments-api'] },
      });
      const record = synced.records.find((r) => r.id === `gitlab_pipeline_${created}`);
      expect(record?.data).toMatchObject({ status: 'failed', raw_status: 'failed' });
      // The last event maps to exactly what the sync read: no flapping between the two.
      expect(events[2]?.effect).toEqual({
        kind: 'records',
        sync: 'pipelines',
        records: [record],
        deletedIds: [],
      });
      expect(
        events.map(
          (e) => (e.effect as unknown as { records: { data: { status: string } }[] }).records[0]?.data.status,
        ),
      ).toEqual(['queued', 'running', 'failed']);
      // A pipeline payload without what the mapping reads: a pipelines run instead.
      expect(hooks.apply({ object_kind: 'pipeline', object_attributes: { id: 1 } }, 'Pipeline Hook')).toEqual(
        {
          kind: 'sync',
          syncs: ['pipelines'],
        },
      );
    });

    it('merge request events run the merge_requests sync', async () => {
      gl.updateMergeRequest(mrIds[0] as number, { state: 'merged' });
      gl.updateMergeRequest(mrIds[1] as number, { title: 'Draft: rework', labels: ['wip'] });
      const events = await next();
      expect(events.map((e) => `${e.eventType}:${attributes(e).action}`)).toEqual([
        'Merge Request Hook:merge',
        'Merge Request Hook:update',
      ]);
      expect((events[1]?.payload.changes as Record<string, unknown> | undefined)?.title).toMatchObject({
        current: 'Draft: rework',
      });
      for (const e of events) expect(e.effect).toEqual({ kind: 'sync', syncs: ['merge_requests'] });
    });

    it("notes run the sync of what they are on; a commit's note changes no record", async () => {
      gl.addNote('issue', issueIds[3] as number, 'Seen again.');
      gl.addNote('merge_request', mrIds[2] as number, 'LGTM');
      const [onIssue, onMr] = await next();
      expect([onIssue?.eventType, attributes(onIssue as never).noteable_type]).toEqual([
        'Note Hook',
        'Issue',
      ]);
      expect(onIssue?.effect).toEqual({ kind: 'sync', syncs: ['issues'] });
      expect(onMr?.effect).toEqual({ kind: 'sync', syncs: ['merge_requests'] });
      expect(hooks.apply({ object_attributes: { noteable_type: 'Commit' } }, 'Note Hook')).toBeUndefined();
      expect(hooks.apply({}, 'Note Hook')).toBeUndefined();
    });

    it('project events run the projects sync; pushes and the rest change no record', () => {
      expect(hooks.apply({ event_name: 'project_create' }, 'Project Hook')).toEqual({
        kind: 'sync',
        syncs: ['projects'],
      });
      expect(hooks.apply({ object_kind: 'push' }, 'Push Hook')).toBeUndefined();
      expect(hooks.apply({}, 'constructor')).toBeUndefined();
    });

    it("a project hook gets its project's events only", async () => {
      const other = await startWebhookReceiver(() => 200);
      gl.registerWebhook(other.url, token, { project: 'acme/ledger' });
      const [ledgerIssue] = gl.seedIssues(1, { project: 'acme/ledger' });
      gl.updateIssue(issueIds[0] as number, { labels: ['payments-only'] });
      await next();
      expect(other.received.map((r) => JSON.parse(r.rawBody).object_attributes.id)).toEqual([ledgerIssue]);
      await other.stop();
    });
  });
});
