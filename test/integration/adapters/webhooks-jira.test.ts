import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord, WebhookEffect, WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type JiraFake, startJiraFake } from '../../fakes/jira';
import { hs256Jwt } from '../../fakes/jira-webhooks';
import { randomToken } from '../../fakes/server';
import type { ReceivedWebhook } from '../../fakes/webhook-outbox';
import { runAction } from './action-helpers';
import { runSync, type SyncCall } from './sync-helpers';
import { eventsAsTheyCome, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('jira');
const startReceiver = (secret: () => string) => startVerifyingReceiver(hooks, secret);

const recordsOf = (effect: WebhookEffect | undefined): SyncRecord[] => {
  if (effect?.kind !== 'records' || effect.sync !== 'issues') throw new Error('not issue records');
  return effect.records;
};

describe('jira webhooks', () => {
  const secret = randomToken(32);
  let jira: JiraFake;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ids: string[];
  const events = eventsAsTheyCome(hooks, secret);
  const next = () => events(jira, receiver.received);
  /** Basic auth against the site, as a connection with config.site = acme.atlassian.net. */
  const call = (): SyncCall => ({
    credentials: jira.valid,
    baseUrl: jira.apiBaseUrl,
    metadata: { site: jira.site },
  });
  const synced = async () => new Map((await runSync('jira', 'issues', call())).records.map((r) => [r.id, r]));

  beforeAll(async () => {
    jira = await startJiraFake();
    // Seeded descriptions: 1, 2, 4 plain; 3, 6 with a mention and bold; 5 none.
    ids = jira.seedIssues(6);
    receiver = await startReceiver(() => secret);
    jira.registerWebhook(receiver.url, secret);
  });
  afterAll(async () => {
    await jira.stop();
    await receiver.stop();
  });

  describe('verify', () => {
    it('passes an admin webhook signed X-Hub-Signature: sha256=…, named by its identifier and webhookEvent', async () => {
      jira.updateIssue(ids[0] as string, { summary: 'Checkout is slow' });
      const [updated] = await next();
      const sent = receiver.received.at(-1) as WebhookRequest;
      expect(sent.headers['x-hub-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(updated?.deliveryId).toBe(sent.headers['x-atlassian-webhook-identifier']);
      expect(updated?.eventType).toBe('jira:issue_updated');
      expect(jira.deliveries().at(-1)?.status).toBe(200);
    });

    it('refuses a missing, short, tampered or foreign signature, and a signed body without an event', () => {
      const good = receiver.received.at(-1) as ReceivedWebhook;
      const sig = good.headers['x-hub-signature'] as string;
      const { 'x-hub-signature': _, ...unsigned } = good.headers;
      const refused = (r: WebhookRequest, s = secret) =>
        expect(() => hooks.verify(r, s, Date.now())).toThrow(WebhookRefused);
      refused({ ...good, headers: unsigned });
      refused({ ...good, headers: { ...good.headers, 'x-hub-signature': '' } });
      refused({ ...good, headers: { ...good.headers, 'x-hub-signature': sig.slice(0, -2) } });
      refused({ ...good, headers: { ...good.headers, 'x-hub-signature': sig.replace('sha256=', 'sha1=') } });
      refused({ ...good, rawBody: good.rawBody.replace('Checkout', 'Checkin') });
      refused(good, randomToken(32));
      for (const body of ['not json', '{"issue":{}}']) {
        const signed = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
        refused({ ...good, rawBody: body, headers: { ...good.headers, 'x-hub-signature': signed } });
      }
    });

    it('a retry carries X-Atlassian-Webhook-Retry and the same identifier: the same delivery id', async () => {
      const index = jira.deliveries().length - 1;
      const again = await jira.redeliver(index);
      expect(again.headers['x-atlassian-webhook-retry']).toBe('1');
      expect(again.status).toBe(200);
      const [retried] = await next();
      expect(retried?.deliveryId).toBe(jira.deliveries()[index]?.headers['x-atlassian-webhook-identifier']);
    });

    it("an OAuth app's dynamic webhook (POST /rest/api/3/webhook) is a JWT signed with the client secret", async () => {
      const app = await startReceiver(() => jira.oauthClient.clientSecret);
      const register = (auth: string, base: string) =>
        fetch(`${base}/rest/api/3/webhook`, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            url: app.url,
            webhooks: [{ events: ['jira:issue_updated'], jqlFilter: 'project = ACME' }],
          }),
        });
      const oauth = jira.oauth.type === 'oauth2' ? jira.oauth.access_token : '';
      const ok = await register(`Bearer ${oauth}`, jira.oauthBaseUrl.replace('{cloud_id}', jira.cloudId));
      expect(await ok.json()).toEqual({ webhookRegistrationResult: [{ createdWebhookId: 2 }] });
      // A user's API token is no app.
      const basic = jira.valid.type === 'basic' ? jira.valid : undefined;
      const refused = await register(
        `Basic ${Buffer.from(`${basic?.username}:${basic?.password}`).toString('base64')}`,
        jira.apiBaseUrl,
      );
      expect(refused.status).toBe(403);

      jira.updateIssue(ids[1] as string, { labels: ['dynamic'] });
      await next();
      const [delivery] = app.received;
      expect(delivery?.status).toBe(200);
      const req = delivery as ReceivedWebhook;
      expect(req.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(req.headers['x-hub-signature']).toBeUndefined();
      expect(JSON.parse(req.rawBody).matchedWebhookIds).toEqual([2]);
      const now = Date.now();
      expect(hooks.verify(req, jira.oauthClient.clientSecret, now)).toMatchObject({
        eventType: 'jira:issue_updated',
      });

      const refusedWith = (authorization: string | undefined, s = jira.oauthClient.clientSecret) => {
        const { authorization: _, ...rest } = req.headers;
        const headers = authorization === undefined ? rest : { ...rest, authorization };
        expect(() => hooks.verify({ ...req, headers }, s, now)).toThrow(WebhookRefused);
      };
      const t = Math.floor(now / 1000);
      refusedWith(undefined);
      refusedWith(req.headers.authorization, randomToken(32));
      refusedWith(`Bearer ${hs256Jwt({ iat: t - 900, exp: t - 600 }, jira.oauthClient.clientSecret)}`);
      refusedWith(`Bearer ${hs256Jwt({ iat: t + 600, exp: t + 900 }, jira.oauthClient.clientSecret)}`);
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"exp":${t + 60}}`).toString('base64url')}.x`;
      refusedWith(`Bearer ${none}`);
      await app.stop();
    });
  });

  describe('route', () => {
    it("names the site the payload's REST links are on (as connect time stores `site`), or the gateway's cloud id", async () => {
      jira.updateIssue(ids[1] as string, { labels: [] });
      const [e] = await next();
      expect(e?.keys).toEqual([`site:${jira.site}`]);
      const gateway = `https://api.atlassian.com/ex/jira/${jira.cloudId}/rest/api/2/issue/1`;
      expect(hooks.route({ issue: { self: gateway } }, 'jira:issue_updated')).toEqual([
        `cloud:${jira.cloudId.toLowerCase()}`,
      ]);
      // What connect time keeps: the site's host, and for OAuth the cloud id.
      expect(
        hooks.connectionKeys({
          account: { id: 'a', name: 'A' },
          metadata: { site: jira.site, cloud_id: jira.cloudId },
        }),
      ).toEqual([`site:${jira.site}`, `cloud:${jira.cloudId.toLowerCase()}`]);
      expect(hooks.route({ webhookEvent: 'x' }, 'x')).toEqual([]);
      expect(hooks.route(null, 'x')).toEqual([]);
    });
  });

  describe('apply: the same records as the issues sync', () => {
    it('an update of every mapped field', async () => {
      jira.updateIssue(ids[3] as string, {
        summary: 'Refunds fail twice',
        status: 'In Review',
        assignee: 'Sam Okafor',
        labels: ['payments', 'p1'],
        duedate: '2025-10-01',
        description: 'First line.\nSecond line, about e-mail at 10:30.',
      });
      const [e] = await next();
      expect(
        (e?.payload.changelog as { items: { field: string }[] } | undefined)?.items
          .map((i) => i.field)
          .sort(),
      ).toEqual(['assignee', 'description', 'duedate', 'labels', 'status', 'summary']);
      const fromSync = (await synced()).get(`jira_issue_${ids[3]}`);
      expect(fromSync?.data).toMatchObject({
        status: 'in_progress',
        raw_status: 'In Review',
        description: 'First line.\nSecond line, about e-mail at 10:30.',
        url: `https://${jira.site}/browse/ACME-4`,
      });
      expect(recordsOf(e?.effect)).toEqual([fromSync]);
    });

    it('created and transitioned through the REST API', async () => {
      const act = (action: string, input: Record<string, unknown>) =>
        runAction('jira', action, call(), input);
      const created = (await act('create_issue', {
        project_key: 'ACME',
        summary: 'Webhook-born',
        description: 'One paragraph.\n\nAnother one.',
        labels: ['new'],
      })) as { work_item: { id: string } };
      await act('transition_issue', { issue: created.work_item.id, transition: 'Done' });
      const events = await next();
      expect(events.map((e) => `${e.eventType}/${e.payload.issue_event_type_name}`)).toEqual([
        'jira:issue_created/issue_created',
        'jira:issue_updated/issue_generic',
      ]);
      const fromSync = (await synced()).get(created.work_item.id);
      expect(fromSync?.data).toMatchObject({ status: 'done', description: 'One paragraph.\nAnother one.' });
      expect(recordsOf(events[1]?.effect)).toEqual([fromSync]);
      expect(recordsOf(events[0]?.effect)[0]?.data).toMatchObject({ status: 'open', raw_status: 'To Do' });
    });

    it('a description with markup (a mention, bold) is not mapped from wiki markup: an issues run reads it', async () => {
      jira.updateIssue(ids[2] as string, { labels: ['rich'] });
      const [e] = await next();
      const issue = e?.payload.issue as { fields: { description: string } };
      expect(issue.fields.description).toContain('[~accountid:');
      expect(e?.effect).toEqual({ kind: 'sync', syncs: ['issues'] });
    });

    it('deleted → its id; a comment → comment_created (partial: an issues run) and the issue updated', async () => {
      jira.deleteIssue(ids[4] as string);
      jira.addComment(ids[5] as string, 'Seen on staging too.');
      const [deleted, comment, commented] = await next();
      expect(deleted?.effect).toEqual({
        kind: 'records',
        sync: 'issues',
        records: [],
        deletedIds: [`jira_issue_${ids[4]}`],
      });
      expect(comment?.eventType).toBe('comment_created');
      expect(comment?.effect).toEqual({ kind: 'sync', syncs: ['issues'] });
      expect(comment?.keys).toEqual([`site:${jira.site}`]);
      expect(commented?.payload.issue_event_type_name).toBe('issue_commented');
      const sync = await synced();
      expect(sync.has(`jira_issue_${ids[4]}`)).toBe(false);
      // Issue 6 has a mention in its description: left to the sync too.
      expect(commented?.effect).toEqual({ kind: 'sync', syncs: ['issues'] });
    });

    it('descriptions: plain text maps, anything that may be markup does not', () => {
      const base = (description: unknown) => ({
        issue: {
          id: '1',
          key: 'ACME-1',
          self: 'https://acme.atlassian.net/rest/api/2/issue/1',
          fields: {
            summary: 'S',
            description,
            status: { name: 'To Do', statusCategory: { key: 'new' } },
            resolution: null,
            assignee: null,
            labels: [],
            duedate: null,
            project: { key: 'ACME' },
            created: '2025-01-01T10:00:00.000+0100',
            updated: '2025-01-02T10:00:00.000+0100',
          },
        },
      });
      const description = (d: unknown) => {
        const effect = hooks.apply(base(d), 'jira:issue_updated');
        return effect?.kind === 'records' ? effect.records[0]?.data.description : effect;
      };
      expect(description(null)).toBeNull();
      // Outside the connection's config.projects (ACME isn't in it): no effect, as the sync skips it.
      expect(
        hooks.apply(base(null), 'jira:issue_updated', { config: { projects: ['OPS'] }, metadata: {} }),
      ).toBeUndefined();
      expect(
        hooks.apply(base(null), 'jira:issue_updated', { config: { projects: ['ACME'] }, metadata: {} })?.kind,
      ).toBe('records');
      expect(description('ACME-12 breaks at 10:30 (UTC), see https://example.com/a?b=1.')).toBe(
        'ACME-12 breaks at 10:30 (UTC), see https://example.com/a?b=1.',
      );
      expect(description('One.  \n\n\nTwo.\r\nThree.')).toBe('One.\nTwo.\nThree.');
      for (const markup of [
        '*bold*',
        '_em_',
        '-gone-',
        'h1. Title',
        '* item',
        'a -- b',
        '[x|http://x]',
        '{code}',
        'ok :)',
        '(y)',
        '!img.png!',
        'a|b',
        '??cite??',
      ]) {
        expect(description(markup), markup).toEqual({ kind: 'sync', syncs: ['issues'] });
      }
      // An ADF document (a v3 payload) is not what webhooks send: read it from the API.
      expect(description({ type: 'doc', version: 1, content: [] })).toEqual({
        kind: 'sync',
        syncs: ['issues'],
      });
      // Missing fields, or no site to browse at (a gateway link): an issues run too.
      const { status: _, ...withoutStatus } = base(null).issue.fields;
      expect(
        hooks.apply({ issue: { ...base(null).issue, fields: withoutStatus } }, 'jira:issue_created'),
      ).toEqual({
        kind: 'sync',
        syncs: ['issues'],
      });
      const viaGateway = {
        issue: { ...base(null).issue, self: 'https://api.atlassian.com/ex/jira/x/rest/api/2/issue/1' },
      };
      expect(hooks.apply(viaGateway, 'jira:issue_updated')).toEqual({ kind: 'sync', syncs: ['issues'] });
      expect(hooks.apply({}, 'jira:issue_deleted')).toEqual({ kind: 'sync', syncs: ['issues'] });
    });
  });

  describe('apply: projects, filters and the rest', () => {
    it('project events run the projects sync; a project moved to the trash is deleted', async () => {
      const id = jira.createProject('PAY', { name: 'Payments' });
      jira.updateProject('PAY', { archived: true });
      jira.deleteProject('PAY');
      const events = await next();
      expect(events.map((e) => e.eventType)).toEqual([
        'project_created',
        'project_archived',
        'project_soft_deleted',
      ]);
      expect(events[0]?.effect).toEqual({ kind: 'sync', syncs: ['projects'] });
      expect(events[1]?.effect).toEqual({ kind: 'sync', syncs: ['projects'] });
      expect(events[2]?.effect).toEqual({
        kind: 'records',
        sync: 'projects',
        records: [],
        deletedIds: [`jira_project_${id}`],
      });
      expect(events[0]?.keys).toEqual([`site:${jira.site}`]);
      const projects = await runSync('jira', 'projects', call());
      expect(projects.records.map((r) => r.id)).not.toContain(`jira_project_${id}`);
    });

    it("a webhook's JQL filter decides which issues' events it gets", async () => {
      const ops = await startReceiver(() => secret);
      jira.createProject('OPS');
      jira.registerWebhook(ops.url, secret, { jqlFilter: 'project = OPS' });
      const [opsIssue] = jira.seedIssues(1, { project: 'OPS' });
      jira.updateIssue(ids[0] as string, { labels: ['acme-only'] });
      await next();
      expect(ops.received.map((r) => JSON.parse(r.rawBody).issue.id)).toEqual([opsIssue]);
      await ops.stop();
    });

    it('other events change no records', () => {
      expect(hooks.apply({ worklog: {} }, 'worklog_created')).toBeUndefined();
      expect(hooks.apply({ board: { id: 1 } }, 'board_created')).toBeUndefined();
    });
  });

  describe('apply: sprints', () => {
    it('sprint_created|started|updated|closed → the sprint as the sprints sync maps it, its parent kept from the record', async () => {
      const board = jira.createBoard('Team board');
      const [first, second] = jira.seedSprints(board, 2, { state: 'future' });
      jira.updateSprint(first as number, { state: 'active' });
      jira.updateSprint(first as number, { goal: 'Checkout v2' });
      jira.updateSprint(first as number, { state: 'closed' });
      const events = await next();
      expect(events.map((e) => e.eventType)).toEqual([
        'sprint_created',
        'sprint_created',
        'sprint_started',
        'sprint_updated',
        'sprint_closed',
      ]);
      for (const e of events) expect(e.keys).toEqual([`site:${jira.site}`]);
      const synced = new Map((await runSync('jira', 'sprints', call())).records.map((r) => [r.id, r.data]));
      const closed = events.at(-1)?.effect;
      if (closed?.kind !== 'records') throw new Error('not records');
      expect(closed).toMatchObject({ sync: 'sprints', deletedIds: [], keep: ['parent'] });
      // The same record as the sync's, but for the board's name, which the event lacks.
      expect(closed.records).toEqual([
        { id: `jira_sprint_${first}`, data: { ...synced.get(`jira_sprint_${first}`), parent: null } },
      ]);
      expect(closed.records[0]?.data).toMatchObject({
        status: 'completed',
        raw_status: 'closed',
        description: 'Checkout v2',
      });
      const started = events[2]?.effect;
      if (started?.kind !== 'records') throw new Error('not records');
      expect(started.records[0]?.data).toMatchObject({ status: 'active', raw_status: 'active' });
      const created = events[1]?.effect;
      if (created?.kind !== 'records') throw new Error('not records');
      expect(created.records[0]).toMatchObject({
        id: `jira_sprint_${second}`,
        data: { status: 'planned', raw_status: 'future', kind: 'sprint' },
      });
    });

    it('sprint_deleted → its id deleted; a payload that does not map → a sprints run', async () => {
      const board = jira.createBoard('Ops board', { project: 'OPS' });
      const [doomed] = jira.seedSprints(board, 1);
      jira.deleteSprint(doomed as number);
      const events = await next();
      expect(events.map((e) => e.eventType)).toEqual(['sprint_created', 'sprint_deleted']);
      expect(events[1]?.effect).toEqual({
        kind: 'records',
        sync: 'sprints',
        records: [],
        deletedIds: [`jira_sprint_${doomed}`],
      });
      expect(hooks.apply({ sprint: {} }, 'sprint_started')).toEqual({ kind: 'sync', syncs: ['sprints'] });
      expect(hooks.apply({ sprint: { id: 1, name: 'x', state: 'paused' } }, 'sprint_updated')).toEqual({
        kind: 'sync',
        syncs: ['sprints'],
      });
      // A body only a JWT vouches for: a sprints run, never its data.
      expect(hooks.apply({ sprint: { id: 1 } }, 'sprint_deleted', undefined, { hintOnly: true })).toEqual({
        kind: 'sync',
        syncs: ['sprints'],
      });
    });
  });
});
