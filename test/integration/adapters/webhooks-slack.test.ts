import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest, WebhookVerified } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { randomHex } from '../../fakes/server';
import { type SlackFake, startSlackFake } from '../../fakes/slack';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { verify as verifyCredentials } from './verify-helpers';
import { onlyDeliveryOf, requestOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('slack');
const secret = randomHex(32);

/** The Request URL: what the receiver does first — verify the raw request — and its answer. */
const startReceiver = () => startVerifyingReceiver(hooks, secret, { path: '/webhooks/slack' });

let slack: SlackFake;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let metadata: Record<string, string>;

beforeAll(async () => {
  slack = await startSlackFake();
  slack.seedChannels(3);
  slack.seedUsers(3);
  receiver = await startReceiver();
  slack.registerWebhook(receiver.url, secret);
  metadata =
    (await verifyCredentials('slack', { credentials: slack.valid, baseUrl: slack.apiBaseUrl })).metadata ??
    {};
});
afterAll(async () => {
  await slack.stop();
  await receiver.stop();
});

const only = (change: () => unknown) => onlyDeliveryOf(slack, change);
const payloadOf = (d: WebhookDelivery) =>
  JSON.parse(d.body) as { event_id: string; event: Record<string, unknown> };
const refused = (r: WebhookRequest, now = Date.now()) =>
  expect(() => hooks.verify(r, secret, now)).toThrow(WebhookRefused);
const eventOf = (d: WebhookDelivery): WebhookVerified => hooks.verify(requestOf(d), secret, Date.now());

describe('slack webhooks: verify', () => {
  it('accepts a signed event from the fake: its event_id names the delivery', async () => {
    const d = await only(() => slack.seedChannels(1, { name: 'launch' }));
    expect(d.status).toBe(200);
    expect(d.headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    const verified = receiver.got.at(-1)?.verified;
    expect(verified).toEqual({
      kind: 'event',
      deliveryId: payloadOf(d).event_id,
      eventType: 'event_callback:channel_created',
    });
  });

  it('answers the url_verification challenge, as text', async () => {
    const d = await slack.verifyUrl();
    expect(d.status).toBe(200);
    expect(d.response).toBe(d.challenge);
    expect(receiver.got.at(-1)?.verified).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'text/plain',
      body: d.challenge,
    });
  });

  it('answers no challenge that is not signed', async () => {
    const d = await slack.verifyUrl();
    const { 'x-slack-signature': _, ...unsigned } = d.headers;
    refused(requestOf(d, { headers: unsigned }));
    refused(requestOf(d, { headers: { ...d.headers, 'x-slack-signature': `v0=${'0'.repeat(64)}` } }));
  });

  it('refuses missing, short, tampered, stale and wrong-secret signatures', async () => {
    const d = await only(() => slack.seedUsers(1));
    const sig = d.headers['x-slack-signature'] as string;
    const ts = d.headers['x-slack-request-timestamp'] as string;
    const { 'x-slack-signature': _, ...noSignature } = d.headers;
    const { 'x-slack-request-timestamp': __, ...noTimestamp } = d.headers;
    refused(requestOf(d, { headers: noSignature }));
    refused(requestOf(d, { headers: noTimestamp }));
    refused(requestOf(d, { headers: { ...d.headers, 'x-slack-signature': sig.slice(0, -2) } }));
    refused(requestOf(d, { headers: { ...d.headers, 'x-slack-signature': sig.slice(3) } }));
    refused(requestOf(d, { rawBody: d.body.replace('"team_join"', '"user_change"') }));
    refused(requestOf(d), Number(ts) * 1000 + 301_000);
    refused(requestOf(d), Number(ts) * 1000 - 301_000);
    expect(() => hooks.verify(requestOf(d), randomHex(32), Date.now())).toThrow(WebhookRefused);
    // The same request within the window passes: only the change made the difference.
    expect(hooks.verify(requestOf(d), secret, Number(ts) * 1000 + 299_000).kind).toBe('event');
  });

  it('refuses a signed body that is no Events API request', () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const body = JSON.stringify({ hello: 'world' });
    const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    refused({
      method: 'POST',
      headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts },
      query: {},
      rawBody: body,
    });
  });

  it("names a retry as the first delivery: same event_id, Slack's retry headers", async () => {
    const d = await only(() => slack.workspace.join(slack.workspace.channelIds()[0] as string, slack.userId));
    const i = slack.deliveries().indexOf(d);
    const retry = await slack.redeliver(i);
    expect(retry.status).toBe(200);
    expect(retry.headers['x-slack-retry-num']).toBe('1');
    expect(retry.headers['x-slack-retry-reason']).toBe('http_error');
    expect(retry.body).toBe(d.body);
    expect(eventOf(retry)).toEqual(eventOf(d));
  });

  it('names a signed interactivity request (form-encoded) by its signature', () => {
    const ts = String(Math.floor(Date.now() / 1000));
    const body = new URLSearchParams({
      payload: JSON.stringify({ type: 'block_actions', team: { id: slack.team.id } }),
    }).toString();
    const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const r: WebhookRequest = {
      method: 'POST',
      headers: { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts },
      query: {},
      rawBody: body,
    };
    const verified = hooks.verify(r, secret, Date.now());
    expect(verified).toMatchObject({ kind: 'event', eventType: 'interactive:block_actions' });
    expect(hooks.verify(r, secret, Date.now())).toEqual(verified);
    // What the processor parses out of the form: routed by its team.
    expect(
      hooks.route({ type: 'block_actions', team: { id: slack.team.id } }, 'interactive:block_actions'),
    ).toEqual([`team:${slack.team.id.toLowerCase()}`]);
  });
});

describe('slack webhooks: route and apply', () => {
  const usersRun = () => runSync('slack', 'users', { credentials: slack.valid, baseUrl: slack.apiBaseUrl });
  const channelsRun = () =>
    runSync('slack', 'channels', { credentials: slack.valid, baseUrl: slack.apiBaseUrl, metadata });

  it('routes by the workspace: what the connection keeps as team_id', async () => {
    const d = await only(() => slack.seedUsers(1));
    expect(metadata.team_id).toBe(slack.team.id);
    const team = `team:${slack.team.id.toLowerCase()}`;
    expect(hooks.route(JSON.parse(d.body), 'event_callback:team_join')).toEqual([team]);
    expect(hooks.connectionKeys({ account: { id: slack.team.id, name: 'acme' }, metadata })).toContain(team);
  });

  it('routes an Enterprise Grid id only for an org-wide install', () => {
    const grid = {
      type: 'event_callback',
      team_id: 'T0WORKSPACE',
      enterprise_id: 'E0GRID',
      authorizations: [{ enterprise_id: 'E0GRID', team_id: 'T0WORKSPACE', is_enterprise_install: false }],
    };
    expect(hooks.route(grid, 'event_callback:message')).toEqual(['team:t0workspace']);
    // A workspace of the grid answers to its team and its grid; a sibling workspace to neither.
    const sibling = hooks.connectionKeys({
      account: { id: 'T0OTHER', name: 'other' },
      metadata: { team_id: 'T0OTHER', enterprise_id: 'E0GRID' },
    });
    expect(sibling).toEqual(['team:t0other', 'enterprise:e0grid']);
    expect(sibling.some((k) => hooks.route(grid, 'event_callback:message').includes(k))).toBe(false);
    const orgWide = {
      type: 'event_callback',
      team_id: null,
      enterprise_id: 'E0GRID',
      authorizations: [{ enterprise_id: 'E0GRID', team_id: null, is_enterprise_install: true }],
    };
    expect(hooks.route(orgWide, 'event_callback:message')).toEqual(['enterprise:e0grid']);
    expect(hooks.route('not an object', 'x')).toEqual([]);
  });

  it('team_join upserts the new member exactly as the users sync maps it', async () => {
    const d = await only(() => slack.seedUsers(1, { name: 'newcomer', realName: 'New Comer' }));
    const payload = payloadOf(d);
    const effect = hooks.apply(payload, 'event_callback:team_join');
    const id = `slack_user_${(payload.event.user as { id: string }).id}`;
    const synced = (await usersRun()).records.find((r) => r.id === id);
    expect(synced).toBeDefined();
    expect(effect).toEqual({ kind: 'records', sync: 'users', records: [synced], deletedIds: [] });
  });

  it('user_change (a profile change, a deactivation) upserts the same record as the sync', async () => {
    const [member] = slack.seedUsers(1);
    for (const change of [{ realName: 'Renamed Person', displayName: 'renamed' }, { deleted: true }]) {
      const d = await only(() => slack.workspace.updateUser(member as string, change));
      const effect = hooks.apply(payloadOf(d), 'event_callback:user_change');
      const synced = (await usersRun()).records.find((r) => r.id === `slack_user_${member}`);
      expect(effect).toEqual({ kind: 'records', sync: 'users', records: [synced], deletedIds: [] });
    }
    const last = (await usersRun()).records.find((r) => r.id === `slack_user_${member}`);
    expect(last?.data).toMatchObject({ name: 'Renamed Person', is_deleted: true });
  });

  it('channel changes, whose payloads are partial, run the channels sync', async () => {
    const [id] = slack.seedChannels(1);
    const cid = id as string;
    const [priv] = slack.seedChannels(1, { private: true });
    const changes: [string, () => unknown][] = [
      ['channel_created', () => slack.seedChannels(1)],
      ['channel_rename', () => slack.workspace.rename(cid, 'renamed')],
      ['channel_archive', () => slack.workspace.archive(cid)],
      ['channel_unarchive', () => slack.workspace.unarchive(cid)],
      ['member_joined_channel', () => slack.workspace.join(cid, slack.userId)],
      ['group_rename', () => slack.workspace.rename(priv as string, 'secret')],
      ['group_archive', () => slack.workspace.archive(priv as string)],
    ];
    for (const [type, change] of changes) {
      const d = await only(change);
      expect(payloadOf(d).event.type).toBe(type);
      expect(eventOf(d)).toMatchObject({ eventType: `event_callback:${type}` });
      expect(hooks.apply(payloadOf(d), `event_callback:${type}`)).toEqual({
        kind: 'sync',
        syncs: ['channels'],
      });
    }
  });

  it('channel_deleted (and group_deleted) delete the record the channels sync wrote', async () => {
    const [pub] = slack.seedChannels(1);
    const [priv] = slack.seedChannels(1, { private: true });
    const before = (await channelsRun()).records.map((r) => r.id);
    for (const id of [pub, priv] as string[]) {
      expect(before).toContain(`slack_channel_${id}`);
      const d = await only(() => slack.workspace.deleteChannel(id));
      expect(hooks.apply(payloadOf(d), 'event_callback:channel_deleted')).toEqual({
        kind: 'records',
        sync: 'channels',
        records: [],
        deletedIds: [`slack_channel_${id}`],
      });
    }
    const after = (await channelsRun()).records.map((r) => r.id);
    expect(after).not.toContain(`slack_channel_${pub}`);
    expect(after).not.toContain(`slack_channel_${priv}`);
  });

  it('messages (seeded or sent through the tool) change no record', async () => {
    const general = slack.workspace.channelIds()[0] as string;
    const seeded = await only(() => slack.seedMessages(general, ['hello']));
    const sent = await only(() =>
      runAction(
        'slack',
        'send_message',
        { credentials: slack.valid, baseUrl: slack.apiBaseUrl },
        {
          channel: general,
          text: 'deploy done',
        },
      ),
    );
    for (const d of [seeded, sent]) {
      expect(payloadOf(d).event).toMatchObject({ type: 'message', channel: general });
      expect(eventOf(d)).toMatchObject({ eventType: 'event_callback:message' });
      expect(hooks.route(JSON.parse(d.body), 'event_callback:message')).toEqual([
        `team:${slack.team.id.toLowerCase()}`,
      ]);
      expect(hooks.apply(payloadOf(d), 'event_callback:message')).toBeUndefined();
    }
    expect(payloadOf(sent).event).toMatchObject({ text: 'deploy done', bot_id: expect.any(String) });
  });
});
