import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Credentials, SyncRecord } from '../../../adapters';
import { type MicrosoftTeamsFake, startMicrosoftTeamsFake } from '../../fakes/microsoft-teams';
import type { FakeChannel, FakeTeam } from '../../fakes/microsoft-teams-graph';
import { randomToken } from '../../fakes/server';
import { authorize, exchange, REDIRECT_URI } from './oauth-consent';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall, stored } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let ms: MicrosoftTeamsFake;
beforeAll(async () => {
  ms = await startMicrosoftTeamsFake({ redirectUris: [REDIRECT_URI] });
});
afterAll(() => ms.stop());

const call = (o: Partial<SyncCall> = {}): SyncCall => ({
  credentials: ms.valid,
  baseUrl: ms.apiBaseUrl,
  ...o,
});
const teamsOf = (o: Partial<SyncCall> = {}, r: { maxPages?: number } = {}) =>
  runSync('microsoft_teams', 'teams', call(o), r);
const channelsOf = (o: Partial<SyncCall> = {}, r: { maxPages?: number } = {}) =>
  runSync('microsoft_teams', 'channels', call(o), r);
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const teamIds = (ids: string[]) => ids.map((id) => `msteams_team_${id}`).sort();
const channelIds = (channels: FakeChannel[]) => channels.map((c) => `msteams_channel_${c.id}`).sort();
const visibleChannels = (t: FakeTeam) =>
  t.channels.filter((c) => c.membershipType === 'standard' || c.member);

/** Every team the tests made (the fake keeps them across tests; removed ones leave the set). */
const allTeams = new Set<FakeTeam>();
const addTeam = (o: Parameters<MicrosoftTeamsFake['addTeam']>[0] = {}) => {
  const t = ms.addTeam(o);
  allTeams.add(t);
  return t;
};
const removeTeam = (t: FakeTeam) => {
  ms.removeTeam(t.id);
  allTeams.delete(t);
};
const joined = (): FakeTeam[] => [...allTeams].filter((t) => t.joined);
const graphPaths = () => ms.requests.filter((r) => r.path.startsWith('/v1.0/')).map((r) => r.path);

describe('microsoft_teams teams sync', () => {
  beforeAll(() => {
    for (let i = 0; i < 8; i++) addTeam({ visibility: i % 2 === 0 ? 'public' : 'private' });
    addTeam({ displayName: 'Class 7B', visibility: 'hiddenMembership', description: null });
    addTeam({
      displayName: 'Old project',
      isArchived: true,
      summary: { ownersCount: 2, membersCount: 5, guestsCount: 1 },
    });
    addTeam({ displayName: 'Not mine', joined: false });
  });
  beforeEach(() => ms.setPageSize({ teams: 3, channels: 4 }));

  it('lists every joined team across joinedTeams pages, each read in full, exactly once', async () => {
    const before = ms.requests.length;
    const run = await teamsOf();
    expectValid(run.records, 'channel');
    expect(idsOf(run.records)).toEqual(teamIds(joined().map((t) => t.id)));
    // 10 joined teams, 3 a listing page: 4 pages, each following Graph's absolute nextLink.
    expect(run.pages).toBe(4);
    const paths = ms.requests.slice(before).map((r) => r.path);
    expect(paths.filter((p) => p === '/v1.0/me/joinedTeams')).toHaveLength(4);
    expect(paths.filter((p) => /^\/v1\.0\/teams\/[^/]+$/.test(p))).toHaveLength(10);
  });

  it('maps each team from GET /teams/{id}: visibility, archive, members, link, creation', async () => {
    const run = await teamsOf();
    const got = byId(run.records);
    for (const t of joined()) {
      expect(got.get(`msteams_team_${t.id}`)).toEqual({
        name: t.displayName,
        kind: 'team',
        description: t.description,
        is_private: t.visibility !== 'public',
        is_archived: t.isArchived,
        member_count: t.summary.ownersCount + t.summary.membersCount + t.summary.guestsCount,
        url: t.webUrl,
        parent: null,
        created_at: t.createdDateTime,
      });
    }
    const old = run.records.find((r) => r.data.name === 'Old project');
    expect(old?.data).toMatchObject({ is_archived: true, member_count: 8, is_private: false });
    expect(run.records.find((r) => r.data.name === 'Class 7B')?.data).toMatchObject({
      is_private: true,
      description: null,
    });
    expect(run.records.filter((r) => r.data.is_private === false).length).toBeGreaterThan(0);
  });

  it('reads team details ten a page when Graph answers them all on one listing page', async () => {
    ms.setPageSize({ teams: 100 });
    const run = await teamsOf();
    expect(idsOf(run.records)).toEqual(teamIds(joined().map((t) => t.id)));
    expect(run.pages).toBe(1); // 10 teams: one page of details
    for (let i = 0; i < 13; i++) addTeam();
    const more = await teamsOf();
    expect(more.pages).toBe(3); // 23 teams: 10 + 10 + 3
    expect(idsOf(more.records)).toEqual(teamIds(joined().map((t) => t.id)));
  });

  it('resumes from a stored checkpoint, and skips a team deleted after it was listed', async () => {
    ms.setPageSize({ teams: 100 });
    const first = await teamsOf({}, { maxPages: 1 });
    expect(first.records).toHaveLength(10);
    const checkpoint = first.checkpoints.at(-1) as { pending: string[] };
    expect(checkpoint.pending.length).toBeGreaterThan(0);
    const gone = [...allTeams].find((t) => t.id === checkpoint.pending[0]) as FakeTeam;
    removeTeam(gone);
    const rest = await teamsOf({ checkpoint });
    const all = [...first.records, ...rest.records];
    expectValid(all, 'channel');
    expect(idsOf(all)).toEqual(teamIds(joined().map((t) => t.id)));
    expect(idsOf(all)).not.toContain(`msteams_team_${gone.id}`);
  });

  it('starts over from a checkpoint it cannot read or that names another host', async () => {
    for (const checkpoint of [
      { nonsense: true },
      { pending: [], next: 'https://evil.test/v1.0/me/joinedTeams' },
    ]) {
      const page = await fetchPage('microsoft_teams', 'teams', call({ checkpoint: stored(checkpoint) }));
      expect(page.records.length).toBeGreaterThan(0);
    }
  });

  it('never follows a nextLink to another host', async () => {
    ms.setNextLinkOrigin('https://graph.evil.test');
    try {
      await expectProviderError(teamsOf(), 'unreachable', {
        message: 'Microsoft Graph answered a next-page link to another host.',
      });
    } finally {
      ms.setNextLinkOrigin(undefined);
    }
  });

  it("passes Graph's refusals, throttling and outages on", async () => {
    const bad = `eyJ0eXAi.${randomToken(40)}.x`;
    await expectProviderError(teamsOf({ credentials: { type: 'oauth2', access_token: bad } }), 'rejected', {
      message: 'InvalidAuthenticationToken: Access token validation failure. Invalid audience.',
      status: 401,
      secrets: [bad],
    });
    ms.failNext('refuse');
    await expectProviderError(teamsOf(), 'rejected', {
      message: `Forbidden: ${ms.refusalMessage}`,
      status: 403,
    });
    ms.failNext('rate_limit', 17);
    const limited = await expectProviderError(teamsOf(), 'rate_limited', { status: 429 });
    expect(limited.retryAfterSeconds).toBe(17);
    ms.failNext('down');
    await expectProviderError(teamsOf(), 'unreachable', { status: 503 });
    await expectProviderError(
      teamsOf({ credentials: { type: 'api_key', api_key: 'k' } as Credentials }),
      'rejected',
      { message: 'Microsoft Teams does not accept api_key credentials.' },
    );
  });
});

describe('microsoft_teams channels sync', () => {
  let engineering: FakeTeam;
  let archived: FakeTeam;
  let hidden: FakeChannel;
  beforeAll(() => {
    for (const t of [...allTeams]) removeTeam(t);
    engineering = addTeam({ displayName: 'Engineering' });
    ms.seedChannels(engineering.id, 8);
    ms.addChannel(engineering.id, { displayName: 'Incidents', membershipType: 'private', member: true });
    ms.addChannel(engineering.id, { displayName: 'Partners', membershipType: 'shared', member: true });
    hidden = ms.addChannel(engineering.id, {
      displayName: 'Leadership',
      membershipType: 'private',
      member: false,
    });
    archived = addTeam({ displayName: 'Launch 2023', isArchived: true });
    ms.seedChannels(archived.id, 2);
    for (let i = 0; i < 4; i++) ms.seedChannels(addTeam().id, i);
    addTeam({ displayName: 'Not mine', joined: false });
  });
  beforeEach(() => ms.setPageSize({ teams: 2, channels: 4 }));

  const everyVisible = () => joined().flatMap(visibleChannels);

  it('lists the channels of every joined team across pages of teams and of channels', async () => {
    const run = await channelsOf();
    expectValid(run.records, 'channel');
    expect(idsOf(run.records)).toEqual(channelIds(everyVisible()));
    expect(idsOf(run.records)).not.toContain(`msteams_channel_${hidden.id}`);
    // Engineering: 11 visible channels = 3 pages; the others one page each (6 teams).
    expect(run.pages).toBe(3 + 5);
    expect(graphPaths().filter((p) => p === '/v1.0/me/joinedTeams').length).toBeGreaterThanOrEqual(3);
  });

  it('maps each channel with its team as parent, privacy and archive state', async () => {
    const run = await channelsOf();
    const got = byId(run.records);
    for (const t of joined()) {
      for (const c of visibleChannels(t)) {
        expect(got.get(`msteams_channel_${c.id}`)).toEqual({
          name: c.displayName,
          kind: 'channel',
          description: c.description,
          is_private: c.membershipType !== 'standard',
          is_archived: c.isArchived,
          member_count: null,
          url: c.webUrl,
          parent: t.displayName,
          created_at: c.createdDateTime,
        });
      }
    }
    const names = (f: (d: Record<string, unknown>) => boolean) =>
      run.records.filter((r) => f(r.data)).map((r) => r.data.name);
    expect(names((d) => d.is_private === true).sort()).toEqual(['Incidents', 'Partners']);
    expect(names((d) => d.parent === 'Launch 2023' && d.is_archived === true)).toHaveLength(3);
    expect(names((d) => d.name === 'General')).toHaveLength(joined().length);
  });

  it('resumes mid-team from a stored checkpoint without repeating or losing a channel', async () => {
    const first = await channelsOf({}, { maxPages: 2 });
    const checkpoint = first.checkpoints.at(-1) as { channelsNext?: string; teams: unknown[] };
    expect(checkpoint.channelsNext).toMatch(/\$skiptoken=/);
    const rest = await channelsOf({ checkpoint });
    const all = [...first.records, ...rest.records];
    expectValid(all, 'channel');
    expect(idsOf(all)).toEqual(channelIds(everyVisible()));
  });

  it('skips a team deleted after it was listed and goes on with the others', async () => {
    const gone = addTeam({ displayName: 'Short-lived' });
    ms.seedChannels(gone.id, 2);
    ms.setPageSize({ teams: 100 });
    // The listing page holds every team; the first pages read Engineering's channels.
    const first = await channelsOf({}, { maxPages: 1 });
    removeTeam(gone);
    const rest = await channelsOf({ checkpoint: first.checkpoints.at(-1) });
    const all = [...first.records, ...rest.records];
    expect(idsOf(all)).toEqual(channelIds(everyVisible()));
    expect(graphPaths()).toContain(`/v1.0/teams/${gone.id}/channels`);
  });

  it("is refused with Graph's 403 when the token lacks Channel.ReadBasic.All", async () => {
    const auth = await authorize('microsoft_teams', ms, { scopes: ['User.Read', 'Team.ReadBasic.All'] });
    const tokens = await exchange('microsoft_teams', ms, auth);
    await expectProviderError(
      channelsOf({ credentials: { type: 'oauth2', access_token: tokens.accessToken } }),
      'rejected',
      {
        message:
          "Forbidden: Missing scope permissions on the request. API requires one of 'Channel.ReadBasic.All, ChannelSettings.Read.All, ChannelSettings.ReadWrite.All'. Roles on the request ''. Scopes on the request 'User.Read, Team.ReadBasic.All'.",
        status: 403,
        secrets: [tokens.accessToken],
      },
    );
  });

  it('is rate limited and unreachable in the middle of a team as anywhere', async () => {
    const first = await channelsOf({}, { maxPages: 1 });
    const checkpoint = first.checkpoints.at(-1);
    ms.failNext('rate_limit', 42);
    const e = await expectProviderError(channelsOf({ checkpoint }), 'rate_limited');
    expect(e.retryAfterSeconds).toBe(42);
    ms.failNext('down');
    await expectProviderError(channelsOf({ checkpoint }), 'unreachable', { status: 503 });
    // The same checkpoint still finishes the run.
    const rest = await channelsOf({ checkpoint });
    expect(idsOf([...first.records, ...rest.records])).toEqual(channelIds(everyVisible()));
  });
});
