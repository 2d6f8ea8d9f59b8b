import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { randomToken } from '../../fakes/server';
import { type SlackFake, startSlackFake } from '../../fakes/slack';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

const channelsOf = (slack: SlackFake, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('slack', 'channels', { credentials: slack.valid, baseUrl: slack.apiBaseUrl, ...call }, o);
const usersOf = (slack: SlackFake, call: Partial<SyncCall> = {}) =>
  runSync('slack', 'users', { credentials: slack.valid, baseUrl: slack.apiBaseUrl, ...call });
const channelIds = (ids: string[]) => ids.map((id) => `slack_channel_${id}`).sort();
const userIds = (ids: string[]) => ids.map((id) => `slack_user_${id}`).sort();
const slackIdOf = (recordId: string) => recordId.replace(/^slack_(channel|user)_/, '');

/** What auth.test told us at connect time, as core keeps it on the connection. */
const metadataOf = async (slack: SlackFake) =>
  (await verify('slack', { credentials: slack.valid, baseUrl: slack.apiBaseUrl })).metadata ?? {};

type RawChannel = {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  num_members: number;
  created: number;
  topic: { value: string };
  purpose: { value: string };
};

type RawMember = {
  id: string;
  name: string;
  deleted: boolean;
  is_bot: boolean;
  real_name?: string;
  tz?: string;
  profile: { real_name: string; display_name: string; email?: string; image_72: string };
};

describe('slack channels: a full run', () => {
  let slack: SlackFake;
  let metadata: Record<string, string>;
  let seeded: { open: string[]; private: string[]; hidden: string[]; archived: string[] };
  beforeAll(async () => {
    slack = await startSlackFake();
    // Direct messages between the channels: conversations.list pages over them too, so
    // some pages hold fewer than `limit` channels.
    const open = slack.seedChannels(150);
    slack.workspace.seedDirectMessages(120);
    const priv = slack.seedChannels(40, { private: true });
    const hidden = slack.seedChannels(10, { private: true, member: false });
    open.push(...slack.seedChannels(100));
    const archived = slack.seedChannels(30, { archived: true });
    seeded = { open, private: priv, hidden, archived };
    metadata = await metadataOf(slack);
  });
  afterAll(() => slack.stop());

  it('reads every public, private (joined) and archived channel exactly once, no direct messages', async () => {
    const run = await channelsOf(slack, { metadata });
    expectValid(run.records, 'channel');
    expect(idsOf(run.records)).toEqual(channelIds([...seeded.open, ...seeded.private, ...seeded.archived]));
    expect(idsOf(run.records)).toEqual(channelIds(slack.workspace.channelIds()));
    // 450 conversations in pages of 200: 3 pages, one of them short of the 200 channels.
    expect(run.pages).toBe(3);
    const calls = slack.requests.filter((r) => r.path === '/api/conversations.list');
    expect(calls.length).toBeGreaterThanOrEqual(3);
  });

  it('asks conversations.list as documented: both channel types, archived too, pages of 200, Bearer', async () => {
    const before = slack.requests.length;
    const page = await fetchPage('slack', 'channels', {
      credentials: slack.valid,
      baseUrl: slack.apiBaseUrl,
      metadata,
    });
    const call = slack.requests[before];
    expect(call).toMatchObject({ method: 'GET', path: '/api/conversations.list' });
    expect(call?.headers.authorization).toBe(`Bearer ${secretsOf(slack.valid)[0]}`);
    expect(page.next).toEqual({ cursor: expect.any(String) });
    const second = await fetchPage('slack', 'channels', {
      credentials: slack.valid,
      baseUrl: slack.apiBaseUrl,
      metadata,
      checkpoint: page.next,
    });
    expect(second.records.map((r) => r.id)).not.toContain(page.records[0]?.id);
  });

  it('maps each channel from what Slack answers for it', async () => {
    const run = await channelsOf(slack, { metadata });
    let described = 0;
    for (const r of run.records) {
      const raw = slack.workspace.channelJson(slackIdOf(r.id)) as RawChannel;
      const description = raw.purpose.value || raw.topic.value || null;
      if (description) described++;
      expect(r.data).toEqual({
        name: raw.name,
        kind: 'channel',
        description,
        is_private: raw.is_private,
        is_archived: raw.is_archived,
        member_count: raw.num_members,
        url: `https://acme-corp.slack.com/archives/${raw.id}`,
        parent: slack.team.id,
        created_at: new Date(raw.created * 1000).toISOString(),
      });
    }
    expect(described).toBeGreaterThan(0);
    const byId = new Map(run.records.map((r) => [slackIdOf(r.id), r.data]));
    expect(byId.get(seeded.private[0] ?? '')).toMatchObject({ is_private: true, is_archived: false });
    expect(byId.get(seeded.archived[0] ?? '')).toMatchObject({ is_private: false, is_archived: true });
  });

  it('prefers the purpose (Slack\'s "description") over the topic', async () => {
    const [id] = slack.seedChannels(1, {
      name: 'launch',
      topic: 'Ship it Friday',
      purpose: 'Launch planning',
    });
    const [topicOnly] = slack.seedChannels(1, { name: 'ops', topic: 'On call: mia', purpose: '' });
    const [neither] = slack.seedChannels(1, { name: 'quiet', topic: '', purpose: '' });
    const byId = new Map(
      (await channelsOf(slack, { metadata })).records.map((r) => [slackIdOf(r.id), r.data]),
    );
    expect(byId.get(id ?? '')).toMatchObject({ name: 'launch', description: 'Launch planning' });
    expect(byId.get(topicOnly ?? '')).toMatchObject({ name: 'ops', description: 'On call: mia' });
    expect(byId.get(neither ?? '')).toMatchObject({ name: 'quiet', description: null });
  });

  it('has no url without the workspace address, and takes the team from the channel', async () => {
    const run = await channelsOf(slack, {});
    expectValid(run.records, 'channel');
    for (const r of run.records) expect(r.data).toMatchObject({ url: null, parent: slack.team.id });
  });

  it('resumes from a stored checkpoint without repeating or skipping', async () => {
    const first = await channelsOf(slack, { metadata }, { maxPages: 1 });
    const rest = await channelsOf(slack, { metadata, checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(channelIds(slack.workspace.channelIds()));
  });

  it('narrows to config.channels by id or name', async () => {
    const wanted = seeded.open[3] ?? '';
    const run = await channelsOf(slack, { metadata, config: { channels: [wanted, '#launch'] } });
    expect(run.records.map((r) => r.data.name).sort()).toEqual(
      ['launch', (slack.workspace.channelJson(wanted) as RawChannel).name].sort(),
    );
  });

  it('sees a channel archived since the last run', async () => {
    const id = seeded.open[7] ?? '';
    slack.workspace.archive(id);
    const run = await channelsOf(slack, { metadata });
    expect(run.records.find((r) => r.id === `slack_channel_${id}`)?.data).toMatchObject({
      is_archived: true,
    });
  });
});

describe('slack users: a full run', () => {
  let slack: SlackFake;
  let seeded: { people: string[]; bots: string[]; gone: string[] };
  beforeAll(async () => {
    slack = await startSlackFake();
    const people = slack.seedUsers(180);
    const bots = slack.seedUsers(20, { bot: true });
    const gone = slack.seedUsers(15, { deleted: true });
    people.push(...slack.seedUsers(40));
    seeded = { people, bots, gone };
  });
  afterAll(() => slack.stop());

  it('reads every member exactly once, bots and deactivated ones included', async () => {
    const run = await usersOf(slack);
    expectValid(run.records, 'user');
    const all = [
      slack.userId,
      slack.botUserId,
      'USLACKBOT',
      ...seeded.people,
      ...seeded.bots,
      ...seeded.gone,
    ];
    expect(idsOf(run.records)).toEqual(userIds(all));
    expect(idsOf(run.records)).toEqual(userIds(slack.workspace.userIds()));
    expect(run.pages).toBe(2); // 258 members, pages of 200
    const call = slack.requests.find((r) => r.path === '/api/users.list');
    expect(call).toMatchObject({ method: 'GET' });
  });

  it('maps each member from what Slack answers for them', async () => {
    const run = await usersOf(slack);
    for (const r of run.records) {
      const raw = slack.workspace.memberJson(slackIdOf(r.id)) as RawMember;
      expect(r.data).toEqual({
        name: raw.profile.real_name || raw.real_name || raw.name,
        display_name: raw.profile.display_name || null,
        email: raw.profile.email ?? null,
        is_bot: raw.is_bot || raw.id === 'USLACKBOT',
        is_deleted: raw.deleted,
        avatar_url: raw.profile.image_72,
        timezone: raw.tz ?? null,
      });
    }
    const byId = new Map(run.records.map((r) => [slackIdOf(r.id), r.data]));
    expect(byId.get(slack.userId)).toEqual({
      name: 'Mia Wallace',
      display_name: 'mia',
      email: 'mia@acme.example',
      is_bot: false,
      is_deleted: false,
      avatar_url: expect.stringMatching(/_72\.png$/),
      timezone: 'Europe/Berlin',
    });
    // Slack lists Slackbot with is_bot: false; it is a bot all the same.
    expect(byId.get('USLACKBOT')).toMatchObject({ name: 'Slackbot', is_bot: true });
    expect(byId.get(seeded.bots[0] ?? '')).toMatchObject({ is_bot: true, email: null, display_name: null });
    expect(byId.get(seeded.gone[0] ?? '')).toMatchObject({ is_deleted: true, timezone: null, email: null });
  });

  it('has no emails without users:read.email', async () => {
    const token = slack.tokenWith('bot', ['users:read']);
    const run = await usersOf(slack, { credentials: token });
    expectValid(run.records, 'user');
    expect(run.records.every((r) => r.data.email === null)).toBe(true);
  });
});

describe('slack syncs: refusals and failures', () => {
  let slack: SlackFake;
  beforeAll(async () => {
    slack = await startSlackFake();
    slack.seedChannels(5);
  });
  afterAll(() => slack.stop());

  it('reports missing_scope with the scope Slack says it needs (private channels need groups:read)', async () => {
    const token = slack.tokenWith('bot', ['channels:read', 'users:read']);
    await expectProviderError(channelsOf(slack, { credentials: token }), 'rejected', {
      message: 'missing_scope: the token needs the groups:read scope (it has channels:read, users:read).',
      status: 200,
      secrets: secretsOf(token),
    });
    await expectProviderError(
      usersOf(slack, { credentials: slack.tokenWith('bot', ['channels:read']) }),
      'rejected',
      {
        message: 'missing_scope: the token needs the users:read scope (it has channels:read).',
      },
    );
  });

  it('reports a token Slack no longer takes as 401, so the engine may renew it', async () => {
    const wrong: Credentials = { type: 'oauth2', access_token: `xoxb-1-2-${randomToken(24)}` };
    await expectProviderError(channelsOf(slack, { credentials: wrong }), 'rejected', {
      message: 'invalid_auth',
      status: 401,
      secrets: secretsOf(wrong),
    });
    slack.failNext('refuse', { error: 'token_revoked' });
    await expectProviderError(usersOf(slack), 'rejected', { message: 'token_revoked', status: 401 });
  });

  it('refuses an unreadable cursor as Slack does', async () => {
    await expectProviderError(
      fetchPage('slack', 'channels', {
        credentials: slack.valid,
        baseUrl: slack.apiBaseUrl,
        checkpoint: { cursor: 'bm90LWEtY3Vyc29y' },
      }),
      'rejected',
      { message: 'invalid_cursor' },
    );
  });

  it('hands a rate limit back with its wait, and a 5xx as unreachable', async () => {
    slack.failNext('rate_limit', { retryAfterSeconds: 42 });
    const limited = await expectProviderError(channelsOf(slack), 'rate_limited');
    expect(limited.retryAfterSeconds).toBe(42);
    slack.failNext('down');
    await expectProviderError(usersOf(slack), 'unreachable', { status: 503 });
  });

  it('reports expired rotating tokens as 401', async () => {
    const rotating = await startSlackFake({ tokenRotation: true });
    try {
      rotating.expireAccessTokens();
      await expectProviderError(usersOf(rotating), 'rejected', { message: 'token_expired', status: 401 });
    } finally {
      await rotating.stop();
    }
  });
});
