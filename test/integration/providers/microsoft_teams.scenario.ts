import { expect } from 'vitest';
import { startMicrosoftTeamsFake } from '../../fakes/microsoft-teams';
import type { FakeChannel } from '../../fakes/microsoft-teams-graph';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Microsoft Teams against its Graph fake: a connection with an access token Graph accepts,
 * five joined teams (one private, one archived) and one the user is not in, their channels
 * (a private one the user is in, one they are not), in pages of two teams and four channels.
 */
const scenario: ProviderScenario = {
  provider: 'microsoft_teams',
  start: async () => {
    const ms = await startMicrosoftTeamsFake();
    ms.setPageSize({ teams: 2, channels: 4 });
    const engineering = ms.addTeam({ displayName: 'Engineering', visibility: 'private' });
    ms.seedChannels(engineering.id, 5);
    ms.addChannel(engineering.id, { displayName: 'Incidents', membershipType: 'private', member: true });
    ms.addChannel(engineering.id, { displayName: 'Leadership', membershipType: 'private', member: false });
    const teams = [engineering, ms.addTeam({ displayName: 'Launch 2023', isArchived: true })];
    for (let i = 0; i < 3; i++) {
      const t = ms.addTeam();
      ms.seedChannels(t.id, i);
      teams.push(t);
    }
    ms.addTeam({ displayName: 'Not mine', joined: false });
    const visible = teams.flatMap((t) =>
      t.channels.filter((c) => c.membershipType === 'standard' || c.member),
    );
    const general = engineering.channels[0] as FakeChannel;

    return {
      stop: () => ms.stop(),
      integration: { provider: 'microsoft_teams', endpoints: { api_base_url: ms.apiBaseUrl } },
      connection: { credentials: ms.valid as Record<string, unknown> },
      syncs: {
        teams: { model: 'channel', count: teams.length },
        channels: { model: 'channel', count: visible.length },
      },
      actions: {
        send_channel_message: {
          input: { team_id: engineering.id, channel_id: general.id, content: 'Deploy finished' },
          check: (data: Json) => {
            const posted = general.messages.at(-1);
            expect(posted?.body).toEqual({ contentType: 'text', content: 'Deploy finished' });
            expect(data.message).toEqual({
              id: posted?.id,
              text: 'Deploy finished',
              channel: general.id,
              author: ms.account.name,
              url: posted?.webUrl,
              thread_id: null,
              created_at: posted?.createdDateTime,
            });
          },
        },
      },
      probe: 'send_channel_message',
      failNext: (kind, retryAfterSeconds) => ms.failNext(kind, retryAfterSeconds),
      refusalMessage: ms.refusalMessage,
    };
  },
};

export default scenario;
