import { expect } from 'vitest';
import { startSlackFake } from '../../fakes/slack';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Slack against its fake: a connection with the installing user's token (xoxp-, the only
 * kind search.messages takes), a workspace of 230 channels (private, archived, one the user
 * is not in) between direct messages, so conversations.list pages come back short, 215
 * members (bots, deactivated ones), and messages to search.
 */
const scenario: ProviderScenario = {
  provider: 'slack',
  start: async () => {
    const slack = await startSlackFake();
    const [general = ''] = slack.seedChannels(1, { name: 'general', purpose: 'Company-wide announcements' });
    slack.seedChannels(150);
    slack.workspace.seedDirectMessages(80);
    slack.seedChannels(40, { private: true });
    slack.seedChannels(5, { private: true, member: false });
    slack.seedChannels(30, { archived: true });
    slack.seedUsers(190);
    slack.seedUsers(10, { bot: true });
    slack.seedUsers(15, { deleted: true });
    slack.seedMessages(general, ['Outage: checkout is down', 'lunch?', 'Outage is over']);

    return {
      stop: () => slack.stop(),
      integration: { provider: 'slack', endpoints: { api_base_url: slack.apiBaseUrl } },
      connection: { credentials: slack.user as Record<string, unknown> },
      syncs: {
        channels: { model: 'channel', count: slack.workspace.channelIds().length },
        users: { model: 'user', count: slack.workspace.userIds().length },
      },
      actions: {
        list_channels: {
          input: { limit: 50 },
          check: (data: Json) => {
            expect(data.channels.length).toBeGreaterThan(0);
            expect(data.channels.length).toBeLessThanOrEqual(50);
            expect(data.channels[0]).toMatchObject({
              id: general,
              name: 'general',
              kind: 'channel',
              description: 'Company-wide announcements',
              url: `https://acme-corp.slack.com/archives/${general}`,
              parent: slack.team.id,
            });
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        send_message: {
          input: { channel: general, text: 'Deploy finished' },
          check: (data: Json) => {
            const posted = slack.workspace.messagesIn(general).at(-1);
            expect(posted).toMatchObject({ text: 'Deploy finished', user: slack.userId });
            const ts = posted?.ts ?? '';
            expect(data.message).toEqual({
              id: `${general}:${ts}`,
              text: 'Deploy finished',
              channel: general,
              author: slack.userId,
              url: `https://acme-corp.slack.com/archives/${general}/p${ts.replace('.', '')}`,
              thread_id: null,
              created_at: new Date(Math.floor(Number(ts) * 1000)).toISOString(),
            });
          },
        },
        search_messages: {
          input: { query: 'outage' },
          check: (data: Json) => {
            expect(data.messages.map((m: Json) => m.text)).toEqual([
              'Outage is over',
              'Outage: checkout is down',
            ]);
            expect(data.messages[0]).toMatchObject({
              channel: general,
              author: slack.userId,
              thread_id: null,
            });
            expect(data.next_cursor).toBeNull();
          },
        },
      },
      probe: 'list_channels',
      failNext: (kind, retryAfterSeconds) =>
        slack.failNext(kind, retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      // The fake's refusal: missing_scope, needing channels:read.
      refusalMessage: 'missing_scope: the token needs the channels:read scope',
    };
  },
};

export default scenario;
