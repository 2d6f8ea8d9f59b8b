import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type LinearFake, startLinearFake } from '../../fakes/linear';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { verify as verifyCredentials } from './verify-helpers';
import {
  deliveriesOf,
  onlyDeliveryOf,
  requestOf,
  startVerifyingReceiver,
  webhooksOf,
} from './webhook-helpers';

const hooks = await webhooksOf('linear');

/** The webhook URL: what the receiver does first — verify the raw request — and its answer. */
const startReceiver = (secret: () => string) =>
  startVerifyingReceiver(hooks, secret, { path: '/webhooks/linear' });

let linear: LinearFake;
let secret = '';
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  linear = await startLinearFake();
  linear.seedIssues(3);
  receiver = await startReceiver(() => secret);
  // Linear generates the signing secret; it is what the integration keeps as webhook_secret.
  secret = linear.registerWebhook(receiver.url);
});
afterAll(async () => {
  await linear.stop();
  await receiver.stop();
});

const only = (change: () => unknown) => onlyDeliveryOf(linear, change);
type Payload = { action: string; type: string; data: Record<string, unknown> } & Record<string, unknown>;
const payloadOf = (d: WebhookDelivery) => JSON.parse(d.body) as Payload;
const refused = (r: WebhookRequest, now = Date.now(), key = secret) =>
  expect(() => hooks.verify(r, key, now)).toThrow(WebhookRefused);
/** A body signed as Linear signs it. */
const signed = (body: Record<string, unknown>, headers: Record<string, string> = {}): WebhookRequest => {
  const raw = JSON.stringify(body);
  return {
    method: 'POST',
    headers: { 'linear-signature': createHmac('sha256', secret).update(raw).digest('hex'), ...headers },
    query: {},
    rawBody: raw,
  };
};

const issuesRun = () =>
  runSync('linear', 'issues', { credentials: linear.valid, baseUrl: linear.apiBaseUrl });
const synced = async (id: string) => (await issuesRun()).records.find((r) => r.id === id);

describe('linear webhooks: verify', () => {
  it('accepts a signed delivery from the fake: Linear-Delivery names it, Linear-Event types it', async () => {
    const d = await only(() => linear.seedIssues(1));
    expect(d.status).toBe(200);
    expect(d.headers['linear-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(receiver.got.at(-1)?.verified).toEqual({
      kind: 'event',
      deliveryId: d.headers['linear-delivery'],
      eventType: 'Issue',
    });
  });

  it('refuses missing, short, prefixed, tampered and wrong-secret signatures', async () => {
    const d = await only(() => linear.seedIssues(1));
    const sig = d.headers['linear-signature'] as string;
    const { 'linear-signature': _, ...unsigned } = d.headers;
    refused(requestOf(d, { headers: unsigned }));
    refused(requestOf(d, { headers: { ...d.headers, 'linear-signature': sig.slice(0, -2) } }));
    refused(requestOf(d, { headers: { ...d.headers, 'linear-signature': `sha256=${sig}` } }));
    refused(requestOf(d, { rawBody: d.body.replace('"create"', '"remove"') }));
    refused(requestOf(d), Date.now(), `lin_wh_${'0'.repeat(48)}`);
  });

  it('refuses a delivery whose webhookTimestamp is more than a minute away, checked after the HMAC', async () => {
    const d = await only(() => linear.seedIssues(1));
    const at = payloadOf(d).webhookTimestamp as number;
    expect(hooks.verify(requestOf(d), secret, at + 59_000).kind).toBe('event');
    refused(requestOf(d), at + 61_000);
    refused(requestOf(d), at - 61_000);
    const { webhookTimestamp: _, ...undated } = payloadOf(d);
    refused(signed(undated, { 'linear-delivery': 'x' }));
    refused(signed({ ...undated, webhookTimestamp: String(at) }, { 'linear-delivery': 'x' }));
    // A stale body with a wrong signature is refused for its signature: the body is never read.
    expect(() =>
      hooks.verify(requestOf(d, { headers: { 'linear-signature': '0'.repeat(64) } }), secret, at),
    ).toThrow('signature mismatch');
  });

  it('names a retry as the first delivery (re-signed with a fresh webhookTimestamp)', async () => {
    const d = await only(() => linear.seedIssues(1));
    await new Promise((r) => setTimeout(r, 5));
    const retry = await linear.redeliver(linear.deliveries().indexOf(d));
    expect(retry.status).toBe(200);
    expect(retry.body).not.toBe(d.body);
    const first = hooks.verify(requestOf(d), secret, Date.now());
    expect(hooks.verify(requestOf(retry), secret, Date.now())).toEqual(first);
    // Without the header: the webhook, the entity and the instant of the change, the same on both.
    const bare = (x: WebhookDelivery) => {
      const { 'linear-delivery': _, ...headers } = x.headers;
      return hooks.verify(requestOf(x, { headers }), secret, Date.now());
    };
    expect(bare(retry)).toEqual(bare(d));
    expect(bare(d)).toMatchObject({ kind: 'event', eventType: 'Issue' });
  });

  it('refuses a signed body that is not JSON', () => {
    const raw = 'action=create';
    refused({
      method: 'POST',
      headers: { 'linear-signature': createHmac('sha256', secret).update(raw).digest('hex') },
      query: {},
      rawBody: raw,
    });
  });
});

describe('linear webhooks: route and apply', () => {
  it('routes by the organization, which the connection keeps', async () => {
    const verified = await verifyCredentials('linear', {
      credentials: linear.valid,
      baseUrl: linear.apiBaseUrl,
    });
    expect(verified.metadata?.organization_id).toBe(linear.account.id);
    const d = await only(() => linear.seedIssues(1));
    const org = `org:${linear.account.id.toLowerCase()}`;
    expect(hooks.route(payloadOf(d), 'Issue')).toEqual([org]);
    expect(hooks.route({ type: 'Issue' }, 'Issue')).toEqual([]);
    // The connection's side, from what verify stored.
    expect(hooks.connectionKeys({ account: verified.account, metadata: verified.metadata ?? {} })).toEqual([
      org,
    ]);
  });

  it('issue create and update write the record the issues sync writes', async () => {
    const created = await only(() => linear.seedIssues(1));
    const id = payloadOf(created).data.id as string;
    const changes = [
      () =>
        linear.updateIssue(id, { state: 'started', assignee: 'Grace Hopper', labels: ['Bug', 'On-call'] }),
      () => linear.updateIssue(id, { description: null, dueDate: '2026-01-31', assignee: null, labels: [] }),
      () => linear.updateIssue(id, { state: { name: 'Shipped', type: 'completed' } }),
      () => linear.archiveIssue(id),
    ];
    const check = async (d: WebhookDelivery) => {
      const record = await synced(`linear_issue_${id}`);
      expect(record).toBeDefined();
      expect(hooks.apply(payloadOf(d), 'Issue')).toEqual({
        kind: 'records',
        sync: 'issues',
        records: [record],
        deletedIds: [],
      });
    };
    await check(created);
    for (const change of changes) {
      const d = await only(change);
      expect(payloadOf(d).action).toBe('update');
      expect(payloadOf(d).updatedFrom).toEqual(expect.objectContaining({ updatedAt: expect.any(String) }));
      await check(d);
    }
  });

  it('an issue created through the tool arrives as the record the sync writes', async () => {
    const d = await only(() =>
      runAction(
        'linear',
        'create_issue',
        { credentials: linear.valid, baseUrl: linear.apiBaseUrl },
        {
          team_id: 'ENG',
          title: 'From the tool',
          label_ids: [linear.labelId('Feature')],
          assignee_id: linear.userId,
        },
      ),
    );
    const id = payloadOf(d).data.id as string;
    expect(hooks.apply(payloadOf(d), 'Issue')).toEqual({
      kind: 'records',
      sync: 'issues',
      records: [await synced(`linear_issue_${id}`)],
      deletedIds: [],
    });
  });

  it("an issue of a team outside the connection's config.teams changes nothing", async () => {
    const d = await only(() =>
      runAction(
        'linear',
        'create_issue',
        { credentials: linear.valid, baseUrl: linear.apiBaseUrl },
        { team_id: 'ENG', title: 'Outside the narrowing' },
      ),
    );
    expect(hooks.apply(payloadOf(d), 'Issue', { config: { teams: ['OPS'] }, metadata: {} })).toBeUndefined();
    expect(hooks.apply(payloadOf(d), 'Issue', { config: { teams: ['ENG'] }, metadata: {} })).toMatchObject({
      kind: 'records',
      sync: 'issues',
    });
  });

  it('an issue removed (to the trash) is deleted, as the incremental sync reports it', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const [id] = linear.seedIssues(1);
    await linear.webhooksSettled();
    const d = await only(() => linear.deleteIssue(id as string));
    expect(payloadOf(d).action).toBe('remove');
    const effect = hooks.apply(payloadOf(d), 'Issue');
    expect(effect).toEqual({
      kind: 'records',
      sync: 'issues',
      records: [],
      deletedIds: [`linear_issue_${id}`],
    });
    const incremental = await runSync('linear', 'issues', {
      credentials: linear.valid,
      baseUrl: linear.apiBaseUrl,
      since,
    });
    expect(incremental.deletedIds).toContain(`linear_issue_${id}`);
  });

  it('an issue payload without what the mapping needs runs the issues sync instead', async () => {
    const d = await only(() =>
      linear.updateIssue(linear.issueIds()[0] as string, { assignee: 'Ada Lovelace' }),
    );
    const p = payloadOf(d);
    const { assignee: _, ...noAssignee } = p.data;
    const { labels: __, ...noLabels } = p.data;
    for (const data of [noAssignee, noLabels, { ...p.data, labelIds: ['x', 'y', 'z'] }, { id: p.data.id }]) {
      expect(hooks.apply({ ...p, data }, 'Issue')).toEqual({ kind: 'sync', syncs: ['issues'] });
    }
  });

  it('projects: changes run the projects sync (teams come as ids), removal deletes the record', async () => {
    const created = await only(() => linear.seedProjects(1));
    const id = payloadOf(created).data.id as string;
    expect(payloadOf(created).data).toMatchObject({ teamIds: [linear.team('ENG').id] });
    const updated = await only(() => linear.updateProject(id, { status: 'started' }));
    const archived = await only(() => linear.archiveProject(id));
    for (const d of [created, updated, archived]) {
      expect(hooks.apply(payloadOf(d), 'Project')).toEqual({ kind: 'sync', syncs: ['projects'] });
    }
    const [other] = linear.seedProjects(1);
    await linear.webhooksSettled();
    const removed = await only(() => linear.deleteProject(other as string));
    expect(hooks.apply(payloadOf(removed), 'Project')).toEqual({
      kind: 'records',
      sync: 'projects',
      records: [],
      deletedIds: [`linear_project_${other}`],
    });
    const run = await runSync('linear', 'projects', {
      credentials: linear.valid,
      baseUrl: linear.apiBaseUrl,
    });
    expect(run.deletedIds).toContain(`linear_project_${other}`);
  });

  it('cycles: changes run the cycles sync (the team comes as an id), removal deletes the record', async () => {
    const created = await only(() => linear.seedCycles(1, { team: 'OPS' }));
    const id = payloadOf(created).data.id as string;
    expect(payloadOf(created).data).toMatchObject({ teamId: linear.team('OPS').id });
    const renamed = await only(() => linear.updateCycle(id, { name: 'Hardening' }));
    const archived = await only(() => linear.archiveCycle(id));
    for (const d of [created, renamed, archived]) {
      expect(hooks.route(payloadOf(d), 'Cycle')).toEqual([`org:${linear.account.id.toLowerCase()}`]);
      expect(hooks.apply(payloadOf(d), 'Cycle')).toEqual({ kind: 'sync', syncs: ['cycles'] });
    }
    // The clock moving a cycle along is no change anyone makes: Linear sends nothing.
    expect(
      await deliveriesOf(linear, () => linear.updateCycle(id, { completedAt: null }, { touch: false })),
    ).toEqual([]);
    expect(hooks.apply({ ...payloadOf(created), action: 'remove' }, 'Cycle')).toEqual({
      kind: 'records',
      sync: 'cycles',
      records: [],
      deletedIds: [`linear_cycle_${id}`],
    });
  });

  it('comments and other types change no record', () => {
    const comment = {
      action: 'create',
      type: 'Comment',
      data: { id: 'c0mment', body: 'LGTM', issueId: linear.issueIds()[0] },
      organizationId: linear.account.id,
    };
    expect(hooks.route(comment, 'Comment')).toEqual([`org:${linear.account.id.toLowerCase()}`]);
    expect(hooks.apply(comment, 'Comment')).toBeUndefined();
    expect(hooks.apply('not json', 'Issue')).toBeUndefined();
  });
});
