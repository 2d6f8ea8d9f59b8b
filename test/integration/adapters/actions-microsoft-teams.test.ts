import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { message } from '../../../adapters/models';
import { type MicrosoftTeamsFake, startMicrosoftTeamsFake } from '../../fakes/microsoft-teams';
import type { FakeChannel, FakeTeam } from '../../fakes/microsoft-teams-graph';
import { randomToken } from '../../fakes/server';
import { type ActionCall, runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

let ms: MicrosoftTeamsFake;
let team: FakeTeam;
let general: FakeChannel;
let incidents: FakeChannel;
beforeAll(async () => {
  ms = await startMicrosoftTeamsFake();
  team = ms.addTeam({ displayName: 'Engineering' });
  general = team.channels[0] as FakeChannel;
  incidents = ms.addChannel(team.id, { displayName: 'Incidents', membershipType: 'private' });
});
afterAll(() => ms.stop());

const send = (input: Record<string, unknown>, o: Partial<ActionCall> = {}) =>
  runAction(
    'microsoft_teams',
    'send_channel_message',
    { credentials: ms.valid, baseUrl: ms.apiBaseUrl, ...o },
    input,
  );

describe('microsoft_teams send_channel_message', () => {
  it('is a write, filled from the workspace default team', async () => {
    const decl = (await loadAdapter('microsoft_teams'))?.manifest.actions.find(
      (a) => a.name === 'send_channel_message',
    );
    expect(decl).toMatchObject({ writes: true, projectField: 'team_id' });
  });

  it('posts a text message to a channel and answers it as a message', async () => {
    const data = await send({ team_id: team.id, channel_id: general.id, content: 'Deploy finished ✅' });
    const posted = general.messages.at(-1);
    expect(posted).toMatchObject({
      replyToId: null,
      body: { contentType: 'text', content: 'Deploy finished ✅' },
    });
    expect(data).toEqual({
      message: {
        id: posted?.id,
        text: 'Deploy finished ✅',
        channel: general.id,
        author: 'Adele Vance',
        url: posted?.webUrl,
        thread_id: null,
        created_at: posted?.createdDateTime,
      },
    });
    const { id: _, ...fields } = (data as { message: Record<string, unknown> }).message;
    expect(message.safeParse(fields).success).toBe(true);
    // The channel id (19:…@thread.tacv2) travels encoded in the path.
    expect(ms.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/v1.0/teams/${team.id}/channels/${encodeURIComponent(general.id)}/messages`,
    });
  });

  it('sends html as html, to a private channel the user is in', async () => {
    await send({
      team_id: team.id,
      channel_id: incidents.id,
      content: '<b>SEV2</b> opened',
      content_type: 'html',
    });
    expect(incidents.messages.at(-1)?.body).toEqual({ contentType: 'html', content: '<b>SEV2</b> opened' });
  });

  it('replies in a thread when thread_id names its first message', async () => {
    const root = await send({ team_id: team.id, channel_id: general.id, content: 'Release 4.2?' });
    const rootId = (root as { message: { id: string } }).message.id;
    const data = await send({
      team_id: team.id,
      channel_id: general.id,
      content: 'Shipped',
      thread_id: rootId,
    });
    expect(data.message).toMatchObject({ text: 'Shipped', thread_id: rootId, channel: general.id });
    expect(general.messages.at(-1)).toMatchObject({ replyToId: rootId, body: { content: 'Shipped' } });
    expect(ms.requests.at(-1)?.path).toBe(
      `/v1.0/teams/${team.id}/channels/${encodeURIComponent(general.id)}/messages/${rootId}/replies`,
    );
  });

  it("is refused with Graph's own message: missing ChannelMessage.Send, unknown team, channel or thread", async () => {
    const count = general.messages.length;
    await expectProviderError(
      send({ team_id: team.id, channel_id: general.id, content: 'hi' }, { credentials: ms.readOnly }),
      'rejected',
      {
        message:
          "Forbidden: Missing scope permissions on the request. API requires one of 'ChannelMessage.Send, Group.ReadWrite.All'. Roles on the request ''. Scopes on the request 'User.Read, Team.ReadBasic.All, Channel.ReadBasic.All'.",
        status: 403,
      },
    );
    expect(general.messages).toHaveLength(count);
    const unknownTeam = '6f1c2b8e-0000-4000-8000-000000000000';
    await expectProviderError(
      send({ team_id: unknownTeam, channel_id: general.id, content: 'hi' }),
      'rejected',
      {
        message: `NotFound: No team found with Group Id ${unknownTeam}`,
        status: 404,
      },
    );
    await expectProviderError(
      send({ team_id: team.id, channel_id: '19:nope@thread.tacv2', content: 'hi' }),
      'rejected',
      { message: `NotFound: Channel 19:nope@thread.tacv2 not found in team ${team.id}.`, status: 404 },
    );
    await expectProviderError(
      send({ team_id: team.id, channel_id: general.id, content: 'hi', thread_id: '1' }),
      'rejected',
      { message: 'NotFound: Message not found.', status: 404 },
    );
    const archived = ms.addTeam({ isArchived: true });
    await expectProviderError(
      send({ team_id: archived.id, channel_id: archived.channels[0]?.id, content: 'hi' }),
      'rejected',
      { message: 'Forbidden: Cannot post message to an archived team or channel.', status: 403 },
    );
    expect(general.messages).toHaveLength(count);
  });

  it('is refused with status 401 for a token Graph does not accept', async () => {
    const bad = `eyJ0eXAi.${randomToken(40)}.x`;
    await expectProviderError(
      send(
        { team_id: team.id, channel_id: general.id, content: 'hi' },
        {
          credentials: { type: 'oauth2', access_token: bad },
        },
      ),
      'rejected',
      {
        message: 'InvalidAuthenticationToken: Access token validation failure. Invalid audience.',
        status: 401,
        secrets: [bad],
      },
    );
  });

  it('is rate limited with the Retry-After wait, and unreachable on a 5xx', async () => {
    const count = general.messages.length;
    ms.failNext('rate_limit', 23);
    const e = await expectProviderError(
      send({ team_id: team.id, channel_id: general.id, content: 'hi' }),
      'rate_limited',
      { status: 429 },
    );
    expect(e.retryAfterSeconds).toBe(23);
    ms.failNext('down');
    await expectProviderError(
      send({ team_id: team.id, channel_id: general.id, content: 'hi' }),
      'unreachable',
      {
        status: 503,
      },
    );
    ms.failNext('refuse');
    await expectProviderError(send({ team_id: team.id, channel_id: general.id, content: 'hi' }), 'rejected', {
      message: `Forbidden: ${ms.refusalMessage}`,
      status: 403,
    });
    expect(general.messages).toHaveLength(count);
  });

  it('refuses input without content or with an unknown content type before calling Graph', async () => {
    const before = ms.requests.length;
    await expect(send({ team_id: team.id, channel_id: general.id, content: '' })).rejects.toThrow(
      /input refused/,
    );
    await expect(
      send({ team_id: team.id, channel_id: general.id, content: 'x', content_type: 'markdown' }),
    ).rejects.toThrow(/input refused/);
    expect(ms.requests.length).toBe(before);
  });
});
