import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { channel as channelModel, message as messageModel } from '../../../adapters/models';
import { randomToken } from '../../fakes/server';
import { type SlackFake, startSlackFake } from '../../fakes/slack';
import { runAction } from './action-helpers';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let slack: SlackFake;
let metadata: Record<string, string>;
let general: string;
let archived: string;
let outside: string;

beforeAll(async () => {
  slack = await startSlackFake();
  [general = ''] = slack.seedChannels(1, { name: 'general' });
  slack.seedChannels(60);
  slack.seedChannels(5, { private: true });
  [archived = ''] = slack.seedChannels(1, { name: 'old-launch', archived: true });
  [outside = ''] = slack.seedChannels(1, { name: 'sales', member: false });
  metadata = (await verify('slack', { credentials: slack.valid, baseUrl: slack.apiBaseUrl })).metadata ?? {};
});
afterAll(() => slack.stop());

const act = (action: string, input: Record<string, unknown>, credentials: Credentials = slack.valid) =>
  runAction('slack', action, { credentials, baseUrl: slack.apiBaseUrl, metadata }, input);

type Listed = { channels: { id: string; name: string; is_archived: boolean }[]; next_cursor: string | null };
type Sent = { message: Record<string, unknown> & { id: string } };
type Found = { messages: (Record<string, unknown> & { id: string })[]; next_cursor: string | null };

describe('slack list_channels', () => {
  it('pages through every channel by cursor, archived ones left out unless asked', async () => {
    const seen: Listed['channels'] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = (await act('list_channels', { limit: 25, ...(cursor ? { cursor } : {}) })) as Listed;
      seen.push(...page.channels);
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    const expected = slack.workspace.channelIds().filter((id) => id !== archived);
    expect(seen.map((c) => c.id).sort()).toEqual(expected.sort());
    const call = slack.requests.filter((r) => r.path === '/api/conversations.list').at(-1);
    expect(call?.headers.authorization).toBe(`Bearer ${secretsOf(slack.valid)[0]}`);

    const all = (await act('list_channels', { limit: 1000, include_archived: true })) as Listed;
    expect(all.next_cursor).toBeNull();
    expect(all.channels.map((c) => c.id).sort()).toEqual(slack.workspace.channelIds().sort());
    expect(all.channels.find((c) => c.id === archived)).toMatchObject({
      name: 'old-launch',
      is_archived: true,
    });
  });

  it('answers channels in the unified model with Slack ids', async () => {
    const page = (await act('list_channels', { limit: 3 })) as Listed;
    expect(page.next_cursor).toEqual(expect.any(String));
    const first = page.channels[0] as Record<string, unknown>;
    expect(first).toMatchObject({
      id: general,
      name: 'general',
      kind: 'channel',
      url: `https://acme-corp.slack.com/archives/${general}`,
      parent: slack.team.id,
    });
    const { id: _, ...fields } = first;
    expect(channelModel.safeParse(fields).success).toBe(true);
  });

  it("passes Slack's refusal on: invalid_cursor, missing_scope with the scope needed", async () => {
    await expectProviderError(act('list_channels', { cursor: 'bm9wZQ==' }), 'rejected', {
      message: 'invalid_cursor',
    });
    await expectProviderError(
      act('list_channels', {}, slack.tokenWith('bot', ['channels:read', 'chat:write'])),
      'rejected',
      { message: 'missing_scope: the token needs the groups:read scope (it has channels:read, chat:write).' },
    );
  });

  it('is rate limited with the wait Slack asks, and unreachable on a 5xx', async () => {
    slack.failNext('rate_limit', { retryAfterSeconds: 17 });
    const e = await expectProviderError(act('list_channels', {}), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBe(17);
    slack.failNext('down');
    await expectProviderError(act('list_channels', {}), 'unreachable', { status: 503 });
  });
});

describe('slack send_message', () => {
  it('posts as JSON with Bearer and answers the message as stored at Slack', async () => {
    const sent = (await act('send_message', { channel: general, text: 'Deploy finished ✅' })) as Sent;
    const stored = slack.workspace.messagesIn(general).at(-1);
    expect(stored).toMatchObject({ text: 'Deploy finished ✅', user: slack.botUserId });
    const ts = stored?.ts ?? '';
    expect(sent.message).toEqual({
      id: `${general}:${ts}`,
      text: 'Deploy finished ✅',
      channel: general,
      author: slack.botUserId,
      url: `https://acme-corp.slack.com/archives/${general}/p${ts.replace('.', '')}`,
      thread_id: null,
      created_at: new Date(Math.floor(Number(ts) * 1000)).toISOString(),
    });
    const { id: _, ...fields } = sent.message;
    expect(messageModel.safeParse(fields).success).toBe(true);
    const call = slack.requests.at(-1);
    expect(call).toMatchObject({ method: 'POST', path: '/api/chat.postMessage' });
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.headers.authorization).toBe(`Bearer ${secretsOf(slack.valid)[0]}`);
  });

  it("takes a channel's name, and replies in a thread", async () => {
    const parent = (await act('send_message', { channel: '#general', text: 'Release 1.4?' })) as Sent;
    expect(parent.message.channel).toBe(general);
    const parentTs = String(parent.message.id).split(':')[1] ?? '';
    const reply = (await act('send_message', {
      channel: general,
      text: 'Shipping now',
      thread_ts: parentTs,
    })) as Sent;
    const ts = String(reply.message.id).split(':')[1] ?? '';
    expect(reply.message).toMatchObject({
      thread_id: parentTs,
      url: `https://acme-corp.slack.com/archives/${general}/p${ts.replace('.', '')}?thread_ts=${parentTs}&cid=${general}`,
    });
    expect(slack.workspace.messagesIn(general).at(-1)).toMatchObject({
      text: 'Shipping now',
      threadTs: parentTs,
    });
  });

  it("passes Slack's refusals on with its error code, and posts nothing", async () => {
    const before = slack.workspace.messagesIn(archived).length;
    await expectProviderError(act('send_message', { channel: 'C0NOPE', text: 'hi' }), 'rejected', {
      message: 'channel_not_found',
      status: 200,
    });
    await expectProviderError(act('send_message', { channel: archived, text: 'hi' }), 'rejected', {
      message: 'is_archived',
    });
    await expectProviderError(act('send_message', { channel: outside, text: 'hi' }), 'rejected', {
      message: 'not_in_channel',
    });
    expect(slack.workspace.messagesIn(archived).length).toBe(before);
    expect(slack.workspace.messagesIn(outside)).toEqual([]);
  });

  it('reports dead tokens as 401 (invalid_auth, account_inactive)', async () => {
    const wrong: Credentials = { type: 'oauth2', access_token: `xoxb-9-9-${randomToken(24)}` };
    await expectProviderError(act('send_message', { channel: general, text: 'hi' }, wrong), 'rejected', {
      message: 'invalid_auth',
      status: 401,
      secrets: secretsOf(wrong),
    });
    slack.failNext('refuse', { error: 'account_inactive' });
    await expectProviderError(act('send_message', { channel: general, text: 'hi' }), 'rejected', {
      message: 'account_inactive',
      status: 401,
    });
  });

  it('is rate limited with the wait Slack asks, and unreachable on a 5xx', async () => {
    const before = slack.workspace.messagesIn(general).length;
    slack.failNext('rate_limit', { retryAfterSeconds: 3 });
    const e = await expectProviderError(
      act('send_message', { channel: general, text: 'hi' }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(3);
    slack.failNext('down');
    await expectProviderError(act('send_message', { channel: general, text: 'hi' }), 'unreachable');
    expect(slack.workspace.messagesIn(general).length).toBe(before);
  });
});

describe('slack search_messages', () => {
  let incidents: string;
  let rootTs: string;
  beforeAll(() => {
    [incidents = ''] = slack.seedChannels(1, { name: 'incidents' });
    [rootTs = ''] = slack.seedMessages(incidents, ['Outage: checkout is down']);
    slack.seedMessages(
      incidents,
      Array.from({ length: 29 }, (_, i) => `outage update ${i + 1}`),
      { threadTs: rootTs },
    );
    slack.seedMessages(general, ['lunch?', 'Outage is over, thanks all']);
  });

  it('finds messages with a user token, newest first, page by page', async () => {
    const first = (await act('search_messages', { query: 'outage', count: 20 }, slack.user)) as Found;
    expect(first.messages).toHaveLength(20);
    expect(first.next_cursor).toBe('2');
    const second = (await act(
      'search_messages',
      { query: 'outage', count: 20, cursor: first.next_cursor },
      slack.user,
    )) as Found;
    expect(second.next_cursor).toBeNull();
    const all = [...first.messages, ...second.messages];
    expect(all).toHaveLength(31);
    expect(new Set(all.map((m) => m.id)).size).toBe(31);
    expect(all[0]).toMatchObject({
      text: 'Outage is over, thanks all',
      channel: general,
      author: slack.userId,
    });
    for (const m of all) {
      const { id: _, ...fields } = m;
      expect(messageModel.safeParse(fields).success, JSON.stringify(m)).toBe(true);
    }
    const root = all.find((m) => m.id === `${incidents}:${rootTs}`);
    expect(root).toMatchObject({
      text: 'Outage: checkout is down',
      thread_id: null,
      url: `https://acme-corp.slack.com/archives/${incidents}/p${rootTs.replace('.', '')}`,
    });
    expect(all.filter((m) => m.thread_id === rootTs)).toHaveLength(29);
    const call = slack.requests.filter((r) => r.path === '/api/search.messages').at(-1);
    expect(call?.headers.authorization).toBe(`Bearer ${secretsOf(slack.user)[0]}`);
  });

  it('is refused with a bot token, saying a user token is needed', async () => {
    await expectProviderError(act('search_messages', { query: 'outage' }), 'rejected', {
      message: /^not_allowed_token_type: .*user token \(xoxp-\).*search:read/,
      status: 200,
      secrets: secretsOf(slack.valid),
    });
  });

  it('is refused without search:read', async () => {
    await expectProviderError(
      act('search_messages', { query: 'outage' }, slack.tokenWith('user', ['channels:read'])),
      'rejected',
      { message: 'missing_scope: the token needs the search:read scope (it has channels:read).' },
    );
  });

  it('is rate limited with the wait Slack asks, and unreachable on a 5xx', async () => {
    slack.failNext('rate_limit', { retryAfterSeconds: 60 });
    const e = await expectProviderError(act('search_messages', { query: 'x' }, slack.user), 'rate_limited');
    expect(e.retryAfterSeconds).toBe(60);
    slack.failNext('down');
    await expectProviderError(act('search_messages', { query: 'x' }, slack.user), 'unreachable');
  });
});
