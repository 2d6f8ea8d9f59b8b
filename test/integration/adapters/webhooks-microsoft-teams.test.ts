import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type MicrosoftTeamsFake, startMicrosoftTeamsFake } from '../../fakes/microsoft-teams';
import { randomToken } from '../../fakes/server';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { runAction } from './action-helpers';
import { runSync } from './sync-helpers';
import { verify as verifyCredentials } from './verify-helpers';
import { deliveriesOf, onlyDeliveryOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('microsoft_teams');
const secret = randomToken(40);

/** The notification URL: what the receiver does first — verify the raw request — and its answer. */
const startReceiver = () => startVerifyingReceiver(hooks, secret, { path: '/webhooks/teams', accepted: 202 });

let teams: MicrosoftTeamsFake;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let teamId: string;

beforeAll(async () => {
  teams = await startMicrosoftTeamsFake();
  teamId = teams.addTeam({ displayName: 'Marketing' }).id;
  teams.seedChannels(teamId, 2);
  receiver = await startReceiver();
  await teams.registerWebhook(receiver.url, secret, {
    resources: ['/teams', '/teams/getAllChannels', '/teams/getAllMessages'],
  });
});
afterAll(async () => {
  await teams.stop();
  await receiver.stop();
});

const only = (change: () => unknown) => onlyDeliveryOf(teams, change);
type Item = Record<string, unknown> & { resourceData?: { id: string } };
const payloadOf = (d: WebhookDelivery) => JSON.parse(d.body) as { value: Item[] };
const requestOf = (body: unknown, query: Record<string, string> = {}): WebhookRequest => ({
  method: 'POST',
  headers: { 'content-type': 'application/json; charset=utf-8' },
  query,
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
});
const refused = (r: WebhookRequest) =>
  expect(() => hooks.verify(r, secret, Date.now())).toThrow(WebhookRefused);
const verified = (body: unknown) => hooks.verify(requestOf(body), secret, Date.now());
const channelsRun = () =>
  runSync('microsoft_teams', 'channels', { credentials: teams.valid, baseUrl: teams.apiBaseUrl });

describe('microsoft teams webhooks: verify', () => {
  it("answers Graph's validation request with the token, decoded, as text", async () => {
    const validation = receiver.got.find((g) => g.verified?.kind === 'handshake');
    const token = validation?.req.query.validationToken ?? '';
    expect(token).toMatch(/^Validation: Testing client application reachability/);
    expect(validation?.verified).toEqual({
      kind: 'handshake',
      status: 200,
      contentType: 'text/plain',
      body: token,
    });
    expect(teams.deliveries()[0]?.url).toContain('validationToken=Validation%3A+Testing');
    expect(teams.deliveries()[0]?.response).toBe(token);
  });

  it('refuses an empty validation token; Graph creates no subscription where the token does not come back', async () => {
    refused(requestOf('', { validationToken: '' }));
    await expect(teams.registerWebhook('http://127.0.0.1:9/unreachable', secret)).rejects.toThrow(
      /validation request failed/,
    );
  });

  it('accepts a notification whose clientState is the secret; the change names it', async () => {
    const d = await only(() => teams.addChannel(teamId, { displayName: 'Launch' }));
    expect(d.status).toBe(202);
    const v = receiver.got.at(-1)?.verified;
    expect(v).toEqual({
      kind: 'event',
      deliveryId: expect.stringMatching(/^[0-9a-f]{64}$/),
      eventType: 'channel.created',
    });
    // Another change to the same channel is another delivery.
    const channelId = payloadOf(d).value[0]?.resourceData?.id as string;
    const updated = await only(() => teams.updateChannel(teamId, channelId, { description: 'Launch plans' }));
    expect(verified(payloadOf(updated))).toMatchObject({ eventType: 'channel.updated' });
    expect(verified(payloadOf(updated))).not.toEqual(v);
  });

  it('refuses a missing or wrong clientState — in any item — and what is no notification', async () => {
    const d = await only(() => teams.addChannel(teamId));
    const item = payloadOf(d).value[0] as Item;
    const { clientState: _, ...noState } = item;
    refused(requestOf({ value: [noState] }));
    refused(
      requestOf({
        value: [{ ...item, clientState: `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}` }],
      }),
    );
    refused(requestOf({ value: [{ ...item, clientState: secret.slice(0, -1) }] }));
    refused(requestOf({ value: [item, { ...item, clientState: 'someone else' }] }));
    expect(() => hooks.verify(requestOf(d.body), randomToken(40), Date.now())).toThrow(WebhookRefused);
    refused(requestOf({ value: [] }));
    refused(requestOf('not json'));
    refused(requestOf({ hello: 'world' }));
  });

  it("names Graph's redelivery as the first, whatever the order of its items", async () => {
    const d = await only(() => teams.updateTeam(teamId, { description: 'Go to market' }));
    const retry = await teams.redeliver(teams.deliveries().indexOf(d));
    expect(retry.body).toBe(d.body);
    expect(verified(payloadOf(retry))).toEqual(verified(payloadOf(d)));
    const sent = await deliveriesOf(teams, () =>
      teams.batch(() => {
        teams.addChannel(teamId);
        teams.addChannel(teamId);
      }),
    );
    expect(sent).toHaveLength(1);
    const items = payloadOf(sent[0] as WebhookDelivery).value;
    expect(items).toHaveLength(2);
    expect(verified({ value: [...items].reverse() })).toEqual(verified({ value: items }));
  });
});

describe('microsoft teams webhooks: route and apply', () => {
  it('routes by the Entra tenant, which the connection keeps as tenant_id', async () => {
    const v = await verifyCredentials('microsoft_teams', {
      credentials: teams.valid,
      baseUrl: teams.apiBaseUrl,
    });
    expect(v.metadata?.tenant_id).toBe(teams.tenantId);
    const d = await only(() => teams.addChannel(teamId));
    const tenant = `tenant:${teams.tenantId.toLowerCase()}`;
    expect(hooks.route(payloadOf(d), 'channel.created')).toEqual([tenant]);
    expect(hooks.route({ value: 'nothing' }, 'x')).toEqual([]);
    expect(hooks.connectionKeys({ account: v.account, metadata: v.metadata ?? {} })).toEqual([tenant]);
  });

  it('channel creations and updates (no resource data) run the channels sync', async () => {
    const created = await only(() => teams.addChannel(teamId));
    const id = payloadOf(created).value[0]?.resourceData?.id as string;
    const updated = await only(() => teams.updateChannel(teamId, id, { displayName: 'Renamed' }));
    for (const d of [created, updated]) {
      expect(hooks.apply(payloadOf(d), 'channel')).toEqual({ kind: 'sync', syncs: ['channels'] });
    }
  });

  it('a deleted channel deletes the record the channels sync wrote', async () => {
    const id = teams.addChannel(teamId).id;
    await teams.webhooksSettled();
    expect((await channelsRun()).records.map((r) => r.id)).toContain(`msteams_channel_${id}`);
    const d = await only(() => teams.removeChannel(teamId, id));
    expect(verified(payloadOf(d))).toMatchObject({ eventType: 'channel.deleted' });
    expect(hooks.apply(payloadOf(d), 'channel.deleted')).toEqual({
      kind: 'records',
      sync: 'channels',
      records: [],
      deletedIds: [`msteams_channel_${id}`],
    });
    expect((await channelsRun()).records.map((r) => r.id)).not.toContain(`msteams_channel_${id}`);
  });

  it('team changes run the teams sync and the channels sync (their parent, their General channel)', async () => {
    const created = await deliveriesOf(teams, () => teams.addTeam({ displayName: 'Sales' }));
    // The team and its General channel.
    expect(
      created.map((d) => verified(payloadOf(d))).map((v) => (v.kind === 'event' ? v.eventType : '')),
    ).toEqual(['team.created', 'channel.created']);
    const id = payloadOf(created[0] as WebhookDelivery).value[0]?.resourceData?.id as string;
    const renamed = await only(() => teams.updateTeam(id, { displayName: 'Sales EMEA' }));
    const removed = await only(() => teams.removeTeam(id));
    for (const d of [created[0] as WebhookDelivery, renamed, removed]) {
      expect(hooks.apply(payloadOf(d), 'team')).toEqual({ kind: 'sync', syncs: ['channels', 'teams'] });
    }
  });

  it('a batch: deletions alone delete, with other changes the sync runs', async () => {
    const [a, b] = [teams.addChannel(teamId).id, teams.addChannel(teamId).id];
    await teams.webhooksSettled();
    const both = await only(() =>
      teams.batch(() => {
        teams.removeChannel(teamId, a);
        teams.removeChannel(teamId, b);
      }),
    );
    expect(hooks.apply(payloadOf(both), 'channel.deleted')).toEqual({
      kind: 'records',
      sync: 'channels',
      records: [],
      deletedIds: [`msteams_channel_${a}`, `msteams_channel_${b}`],
    });
    const c = teams.addChannel(teamId).id;
    await teams.webhooksSettled();
    const mixed = await only(() =>
      teams.batch(() => {
        teams.removeChannel(teamId, c);
        teams.addChannel(teamId);
      }),
    );
    expect(verified(payloadOf(mixed))).toMatchObject({ eventType: 'channel.created,channel.deleted' });
    expect(hooks.apply(payloadOf(mixed), 'channel.created,channel.deleted')).toEqual({
      kind: 'sync',
      syncs: ['channels'],
    });
  });

  it('messages (sent through the tool) change no record', async () => {
    const general = teams.team(teamId)?.channels[0]?.id as string;
    const d = await only(() =>
      runAction(
        'microsoft_teams',
        'send_channel_message',
        { credentials: teams.valid, baseUrl: teams.apiBaseUrl },
        {
          team_id: teamId,
          channel_id: general,
          content: 'Launch is go',
        },
      ),
    );
    expect(verified(payloadOf(d))).toMatchObject({ eventType: 'chatMessage.created' });
    expect(hooks.route(payloadOf(d), 'chatMessage.created')).toEqual([
      `tenant:${teams.tenantId.toLowerCase()}`,
    ]);
    expect(hooks.apply(payloadOf(d), 'chatMessage.created')).toBeUndefined();
  });

  it('lifecycle: missed notifications run both syncs; the others change no record', async () => {
    const missed = await deliveriesOf(teams, () => teams.lifecycle('missed'));
    expect(missed.length).toBeGreaterThan(0);
    for (const d of missed) {
      expect(verified(payloadOf(d))).toMatchObject({ eventType: 'lifecycle.missed' });
      expect(hooks.apply(payloadOf(d), 'lifecycle.missed')).toEqual({
        kind: 'sync',
        syncs: ['channels', 'teams'],
      });
    }
    const reauth = await deliveriesOf(teams, () => teams.lifecycle('reauthorizationRequired'));
    for (const d of reauth)
      expect(hooks.apply(payloadOf(d), 'lifecycle.reauthorizationRequired')).toBeUndefined();
  });
});
