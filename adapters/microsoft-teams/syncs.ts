import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { channel } from '../models';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import { bearer, collection, failure, isoOf, nextLinkOf, sameOrigin, segment } from './graph';
import type { manifest } from './manifest';

/**
 * The teams the user has joined and the channels of each, from Microsoft Graph. Both are
 * full syncs: Graph offers no change tracking for either with delegated Team.ReadBasic.All /
 * Channel.ReadBasic.All, so a run lists everything and the engine marks what is gone.
 * Neither list takes `$top` or an order; pages (when Graph splits them) are followed by
 * `@odata.nextLink`.
 */

/** Team details fetched per page of the teams sync: one GET each, concurrently. */
const DETAILS_PER_PAGE = 10;

const team = z.object({
  id: z.string(),
  displayName: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
  visibility: z.optional(z.nullable(z.string())),
  isArchived: z.optional(z.nullable(z.boolean())),
  webUrl: z.optional(z.nullable(z.string())),
  createdDateTime: z.optional(z.nullable(z.string())),
  summary: z.optional(
    z.nullable(
      z.object({
        ownersCount: z.optional(z.nullable(z.int())),
        membersCount: z.optional(z.nullable(z.int())),
        guestsCount: z.optional(z.nullable(z.int())),
      }),
    ),
  ),
});
type Team = z.infer<typeof team>;

const teamChannel = z.object({
  id: z.string(),
  displayName: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
  membershipType: z.optional(z.nullable(z.string())),
  isArchived: z.optional(z.nullable(z.boolean())),
  webUrl: z.optional(z.nullable(z.string())),
  createdDateTime: z.optional(z.nullable(z.string())),
});
type TeamChannel = z.infer<typeof teamChannel>;

const teamsPage = collection(team);
const channelsPage = collection(teamChannel);

/** Record ids, shared with the change notifications that delete the same records. */
export const teamRecordId = (id: string) => `msteams_team_${id}`;
export const channelRecordId = (id: string) => `msteams_channel_${id}`;

/** A mapped object checked against its model: a mapping bug must not reach the records. */
const record = (id: string, data: z.infer<typeof channel>): SyncRecord => {
  const r = channel.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Microsoft Graph answered ${id} with data that does not map to its model.`,
    );
  }
  return { id, data: r.data as Record<string, unknown> };
};

/** A stored checkpoint, or undefined (start over) when it is unreadable or names another host. */
const readCheckpoint = <S extends z.ZodMiniType>(
  schema: S,
  ctx: SyncContext,
  urls: (c: z.infer<S>) => (string | undefined)[],
): z.infer<S> | undefined => {
  if (ctx.checkpoint === undefined) return undefined;
  const r = schema.safeParse(ctx.checkpoint);
  if (!r.success) return undefined;
  const stored = urls(r.data).filter((u): u is string => u !== undefined);
  return stored.every((u) => sameOrigin(u, ctx.baseUrl)) ? r.data : undefined;
};

/** One page of the teams the user is a direct member of. */
const listJoinedTeams = async (ctx: SyncContext, url: string, headers: Record<string, string>) => {
  // https://learn.microsoft.com/en-us/graph/api/user-list-joinedteams
  const res = await ctx.http(url, { headers });
  if (res.status !== 200) throw failure(res);
  const page = parseAnswer('Microsoft Graph', teamsPage, res, 'GET /me/joinedTeams');
  return { teams: page.value, next: nextLinkOf(page, ctx.baseUrl) };
};

const joinedTeamsUrl = (ctx: SyncContext) => `${ctx.baseUrl}/me/joinedTeams`;

// ---------------------------------------------------------------------------------------
// teams

/**
 * joinedTeams fills only id, displayName, description, isArchived and tenantId (the rest is
 * null), so each team is read once more for its visibility, link, creation date and member
 * counts. The checkpoint keeps the ids of the listing page still to read: a crash resumes
 * there, and a team joined or left during the run cannot shift another out of it.
 */
const teamsCheckpoint = z.object({ pending: z.array(z.string()), next: z.optional(z.string()) });
type TeamsCheckpoint = z.infer<typeof teamsCheckpoint>;

/** A team's details; undefined when it was deleted (or left) since it was listed. */
const getTeam = async (
  ctx: SyncContext,
  id: string,
  headers: Record<string, string>,
): Promise<Team | undefined> => {
  // https://learn.microsoft.com/en-us/graph/api/team-get
  const res = await ctx.http(`${ctx.baseUrl}/teams/${segment(id)}`, { headers });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw failure(res);
  return parseAnswer('Microsoft Graph', team, res, 'GET /teams/{team-id}');
};

/** Everyone in the team: Graph counts owners, members and guests apart. */
const memberCount = (t: Team): number | null => {
  const s = t.summary;
  if (!s) return null;
  const counts = [s.ownersCount, s.membersCount, s.guestsCount].filter((n): n is number => n != null);
  return counts.length > 0 ? counts.reduce((a, b) => a + b, 0) : null;
};

const mapTeam = (t: Team): SyncRecord =>
  record(teamRecordId(t.id), {
    name: t.displayName || t.id,
    kind: 'team',
    description: t.description || null,
    // `hiddenMembership` (class teams) is private too: only members see it.
    is_private: t.visibility === 'private' || t.visibility === 'hiddenMembership',
    is_archived: t.isArchived ?? false,
    member_count: memberCount(t),
    url: t.webUrl ?? null,
    parent: null,
    created_at: isoOf(t.createdDateTime),
  });

const fetchTeamsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const headers = bearer(ctx.credentials);
  let state = readCheckpoint(teamsCheckpoint, ctx, (c) => [c.next]);
  if (state === undefined || (state.pending.length === 0 && state.next !== undefined)) {
    const listed = await listJoinedTeams(ctx, state?.next ?? joinedTeamsUrl(ctx), headers);
    state = { pending: listed.teams.map((t) => t.id), ...(listed.next ? { next: listed.next } : {}) };
  }
  const batch = state.pending.slice(0, DETAILS_PER_PAGE);
  const details = await Promise.all(batch.map((id) => getTeam(ctx, id, headers)));
  const records = details.filter((t): t is Team => t !== undefined).map(mapTeam);
  const next: TeamsCheckpoint = { ...state, pending: state.pending.slice(batch.length) };
  return next.pending.length > 0 || next.next !== undefined ? { records, next } : { records };
};

// ---------------------------------------------------------------------------------------
// channels

/**
 * Where a channels run stands: the teams of the joinedTeams page being walked (the first is
 * the one being read, with its name and archived flag for the mapping), the next listing
 * page, and the next channels page of the current team — a crash resumes mid-team.
 */
const channelsCheckpoint = z.object({
  teams: z.array(z.object({ id: z.string(), name: z.string(), archived: z.boolean() })),
  teamsNext: z.optional(z.string()),
  channelsNext: z.optional(z.string()),
});
type ChannelsCheckpoint = z.infer<typeof channelsCheckpoint>;
type TeamRef = ChannelsCheckpoint['teams'][number];

const mapChannel = (c: TeamChannel, t: TeamRef): SyncRecord =>
  record(channelRecordId(c.id), {
    name: c.displayName || c.id,
    kind: 'channel',
    description: c.description || null,
    // Private and shared channels are visible to their own members only.
    is_private: c.membershipType === 'private' || c.membershipType === 'shared',
    // Archiving a team archives its channels; older answers carry no isArchived of their own.
    is_archived: c.isArchived ?? t.archived,
    member_count: null,
    url: c.webUrl ?? null,
    parent: t.name,
    created_at: isoOf(c.createdDateTime),
  });

const fetchChannelsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const headers = bearer(ctx.credentials);
  let state = readCheckpoint(channelsCheckpoint, ctx, (c) => [c.teamsNext, c.channelsNext]);
  // At most one listing call a page: an empty listing page is an empty page of ours.
  if (state === undefined || (state.teams.length === 0 && state.teamsNext !== undefined)) {
    const listed = await listJoinedTeams(ctx, state?.teamsNext ?? joinedTeamsUrl(ctx), headers);
    state = {
      teams: listed.teams.map((t) => ({ id: t.id, name: t.displayName || t.id, archived: !!t.isArchived })),
      ...(listed.next ? { teamsNext: listed.next } : {}),
    };
  }
  const current = state.teams[0];
  if (current === undefined)
    return state.teamsNext === undefined ? { records: [] } : { records: [], next: state };

  // https://learn.microsoft.com/en-us/graph/api/channel-list
  const res = await ctx.http(state.channelsNext ?? `${ctx.baseUrl}/teams/${segment(current.id)}/channels`, {
    headers,
  });
  let records: SyncRecord[] = [];
  let channelsNext: string | undefined;
  // 404: the team was deleted (or the user left it) since it was listed: no channels to read.
  if (res.status !== 404) {
    if (res.status !== 200) throw failure(res);
    const page = parseAnswer('Microsoft Graph', channelsPage, res, 'GET /teams/{team-id}/channels');
    records = page.value.map((c) => mapChannel(c, current));
    channelsNext = nextLinkOf(page, ctx.baseUrl);
  }
  const next: ChannelsCheckpoint =
    channelsNext !== undefined
      ? { ...state, channelsNext }
      : { teams: state.teams.slice(1), ...(state.teamsNext ? { teamsNext: state.teamsNext } : {}) };
  const done = next.teams.length === 0 && next.teamsNext === undefined;
  return done ? { records } : { records, next };
};

export const syncs: SyncsOf<typeof manifest> = {
  teams: fetchTeamsPage,
  channels: fetchChannelsPage,
};
