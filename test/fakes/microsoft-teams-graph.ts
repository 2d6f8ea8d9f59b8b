import { randomBytes, randomUUID } from 'node:crypto';
import type { Changed } from './microsoft-teams-notifications';
import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * The Teams part of the Microsoft Graph fake (v1.0), behind the bearer check of
 * microsoft-teams.ts:
 * - GET /me/joinedTeams: teams the user is a direct member of, with only id, displayName,
 *   description, isArchived and tenantId filled (the rest null), as Graph documents.
 * - GET /teams/{id}: the whole team, with visibility, webUrl, createdDateTime and summary.
 * - GET /teams/{id}/channels: standard channels, and private/shared ones the user is a
 *   member of (Graph hides the others).
 * - POST /teams/{id}/channels/{id}/messages and …/messages/{id}/replies: 201 chatMessage.
 * Collections page with `@odata.nextLink` (an absolute URL with an opaque `$skiptoken`).
 * Permissions are checked per call against the token's scopes, answering Graph's 403.
 * https://learn.microsoft.com/en-us/graph/api/user-list-joinedteams
 * https://learn.microsoft.com/en-us/graph/api/team-get
 * https://learn.microsoft.com/en-us/graph/api/channel-list
 * https://learn.microsoft.com/en-us/graph/api/channel-post-messages
 * https://learn.microsoft.com/en-us/graph/paging
 * https://learn.microsoft.com/en-us/graph/throttling
 *
 * Every change to a team, channel or message is also handed to `changed`, which sends the
 * change notifications of the subscriptions that cover it (microsoft-teams-notifications.ts).
 */

export type FakeChatMessage = {
  id: string;
  replyToId: string | null;
  createdDateTime: string;
  body: { contentType: string; content: string };
  webUrl: string;
  channelIdentity: { teamId: string; channelId: string };
};

export type FakeChannel = {
  id: string;
  displayName: string;
  description: string | null;
  membershipType: 'standard' | 'private' | 'shared';
  isArchived: boolean;
  createdDateTime: string;
  webUrl: string;
  email: string;
  /** Whether the signed-in user is a member (what Graph shows of private/shared channels). */
  member: boolean;
  messages: FakeChatMessage[];
};

export type FakeTeam = {
  id: string;
  displayName: string;
  description: string | null;
  visibility: 'public' | 'private' | 'hiddenMembership';
  isArchived: boolean;
  createdDateTime: string;
  webUrl: string;
  summary: { ownersCount: number; membersCount: number; guestsCount: number };
  /** Whether the signed-in user is a direct member (what joinedTeams lists). */
  joined: boolean;
  channels: FakeChannel[];
};

export type FaultKind = 'refuse' | 'down' | 'rate_limit';

export type TeamsGraphControls = {
  /** A team with its General channel; `joined: false` makes one the user is not in. */
  addTeam(o?: Partial<Omit<FakeTeam, 'id' | 'channels' | 'webUrl'>>): FakeTeam;
  /** n teams, alternating public and private; returns their ids. */
  seedTeams(n: number, o?: Partial<Omit<FakeTeam, 'id' | 'channels' | 'webUrl' | 'displayName'>>): string[];
  addChannel(teamId: string, o?: Partial<Omit<FakeChannel, 'id' | 'messages' | 'webUrl'>>): FakeChannel;
  /** n standard channels in a team; returns their ids. */
  seedChannels(teamId: string, n: number): string[];
  team(id: string): FakeTeam | undefined;
  /** Deleted: gone from joinedTeams, 404 on every call naming it. */
  removeTeam(id: string): void;
  /** Renames, describes or archives a team (archiving archives its channels). */
  updateTeam(id: string, o: Partial<Pick<FakeTeam, 'displayName' | 'description' | 'isArchived'>>): void;
  updateChannel(
    teamId: string,
    channelId: string,
    o: Partial<Pick<FakeChannel, 'displayName' | 'description'>>,
  ): void;
  /** Deleted: gone from the team's channel list. */
  removeChannel(teamId: string, channelId: string): void;
  /** Page sizes of joinedTeams and channel lists (Graph's own: all, or a hundred or so). */
  setPageSize(sizes: { teams?: number; channels?: number }): void;
  /** nextLinks on another origin (to prove the adapter does not follow them). */
  setNextLinkOrigin(origin: string | undefined): void;
  /**
   * The next Graph request answers: `refuse` 403 Forbidden (REFUSAL_MESSAGE), `down` 503,
   * `rate_limit` 429 TooManyRequests with Retry-After.
   */
  failNext(kind: FaultKind, retryAfterSeconds?: number): void;
};

/** The message of the `refuse` fault: Graph's missing-permission 403. */
export const REFUSAL_MESSAGE =
  "Missing scope permissions on the request. API requires one of 'ChannelMessage.Send, Group.ReadWrite.All'. Roles on the request ''. Scopes on the request 'User.Read'.";

/** Least privileged first, as Graph's permission tables list them (delegated). */
const REQUIRED = {
  joinedTeams: ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', 'User.Read.All'],
  team: ['Team.ReadBasic.All', 'TeamSettings.Read.All', 'TeamSettings.ReadWrite.All', 'Group.Read.All'],
  channels: ['Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All'],
  send: ['ChannelMessage.Send', 'Group.ReadWrite.All'],
};

export const graphError = (
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): FakeReply =>
  reply(
    status,
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': randomUUID(),
          'client-request-id': randomUUID(),
        },
      },
    },
    headers,
  );

const GRAPH = 'https://graph.microsoft.com/v1.0';
const hex = (n: number) => randomBytes(n).toString('hex');
const channelId = () => `19:${hex(16)}@thread.tacv2`;

export const teamsGraph = (o: {
  tenantId: string;
  user: { id: string; displayName: string };
  /** The fake's origin, known once it listens. */
  origin: () => string;
  changed?: Changed;
}): TeamsGraphControls & {
  handle(req: FakeRequest, scopes: string[]): FakeReply | undefined;
  /** The armed fault, if any, consumed. */
  fault(): FakeReply | undefined;
} => {
  const teams = new Map<string, FakeTeam>();
  const changed: Changed = o.changed ?? (() => undefined);
  const knownTeam = (id: string) => {
    const t = teams.get(id);
    if (!t) throw new Error(`no team ${id}`);
    return t;
  };
  const knownChannel = (teamId: string, channelId: string) => {
    const c = knownTeam(teamId).channels.find((x) => x.id === channelId);
    if (!c) throw new Error(`no channel ${channelId} in team ${teamId}`);
    return c;
  };
  const pageSizes = { teams: 3, channels: 4 };
  let nextOrigin: string | undefined;
  let fault: { kind: FaultKind; retryAfter: number } | undefined;
  let created = Date.parse('2023-01-09T08:00:00.000Z');
  let lastMessageId = 0;
  const nextCreated = () => {
    created += 3_600_000 + Math.floor(Math.random() * 60_000);
    return new Date(created).toISOString();
  };

  const teamUrl = (id: string, general: string) =>
    `https://teams.microsoft.com/l/team/${encodeURIComponent(general)}/conversations?groupId=${id}&tenantId=${o.tenantId}`;
  const channelUrl = (teamId: string, c: { id: string; displayName: string }) =>
    `https://teams.microsoft.com/l/channel/${encodeURIComponent(c.id)}/${encodeURIComponent(c.displayName)}?groupId=${teamId}&tenantId=${o.tenantId}`;

  const addChannel: TeamsGraphControls['addChannel'] = (teamId, c = {}) => {
    const t = teams.get(teamId);
    if (!t) throw new Error(`no team ${teamId}`);
    const id = channelId();
    const displayName = c.displayName ?? `Channel ${t.channels.length + 1}`;
    const ch: FakeChannel = {
      id,
      displayName,
      description: c.description === undefined ? `About ${displayName}` : c.description,
      membershipType: c.membershipType ?? 'standard',
      // Archiving a team archives its channels.
      isArchived: c.isArchived ?? t.isArchived,
      createdDateTime: c.createdDateTime ?? nextCreated(),
      webUrl: channelUrl(teamId, { id, displayName }),
      email: c.email ?? '',
      member: c.member ?? true,
      messages: [],
    };
    t.channels.push(ch);
    changed('channel', 'created', { teamId, channelId: id });
    return ch;
  };

  const addTeam: TeamsGraphControls['addTeam'] = (t = {}) => {
    const id = randomUUID();
    const general = channelId();
    const team: FakeTeam = {
      id,
      displayName: t.displayName ?? `Team ${teams.size + 1}`,
      description:
        t.description === undefined ? `The ${t.displayName ?? `team ${teams.size + 1}`} team` : t.description,
      visibility: t.visibility ?? 'public',
      isArchived: t.isArchived ?? false,
      createdDateTime: t.createdDateTime ?? nextCreated(),
      webUrl: teamUrl(id, general),
      summary: t.summary ?? {
        ownersCount: 1,
        membersCount: 1 + (teams.size % 7),
        guestsCount: teams.size % 2,
      },
      joined: t.joined ?? true,
      channels: [],
    };
    teams.set(id, team);
    // Every team has a General channel, created with it, whose id is the team's thread id.
    team.channels.push({
      id: general,
      displayName: 'General',
      description: null,
      membershipType: 'standard',
      isArchived: team.isArchived,
      createdDateTime: team.createdDateTime,
      webUrl: channelUrl(id, { id: general, displayName: 'General' }),
      email: '',
      member: true,
      messages: [],
    });
    changed('team', 'created', { teamId: id });
    changed('channel', 'created', { teamId: id, channelId: general });
    return team;
  };

  // ---- paging: an absolute nextLink with an opaque $skiptoken
  const skiptoken = (offset: number) =>
    `RFNwdAIAAQAAA${Buffer.from(JSON.stringify({ o: offset, n: hex(4) })).toString('base64url')}`;
  const offsetOf = (q: URLSearchParams): number | 'bad' => {
    const token = q.get('$skiptoken');
    if (token === null) return 0;
    try {
      const o = JSON.parse(Buffer.from(token.slice(13), 'base64url').toString('utf8')) as { o?: unknown };
      return typeof o.o === 'number' && Number.isInteger(o.o) && o.o >= 0 ? o.o : 'bad';
    } catch {
      return 'bad';
    }
  };
  const page = <T>(items: T[], req: FakeRequest, size: number, context: string, json: (t: T) => unknown) => {
    const offset = offsetOf(req.query);
    if (offset === 'bad') return graphError(400, 'BadRequest', 'The $skiptoken is invalid or has expired.');
    const slice = items.slice(offset, offset + size);
    const more = offset + size < items.length;
    return reply(200, {
      '@odata.context': `${GRAPH}/$metadata#${context}`,
      value: slice.map(json),
      ...(more
        ? {
            '@odata.nextLink': `${nextOrigin ?? o.origin()}${req.path}?$skiptoken=${skiptoken(offset + size)}`,
          }
        : {}),
    });
  };

  // ---- JSON as Graph answers it
  const teamNulls = {
    classification: null,
    specialization: null,
    internalId: null,
    isMembershipLimitedToOwners: null,
    memberSettings: null,
    guestSettings: null,
    messagingSettings: null,
    funSettings: null,
    discoverySettings: null,
    tagSettings: null,
    summary: null,
  };
  const joinedJson = (t: FakeTeam) => ({
    id: t.id,
    createdDateTime: null,
    displayName: t.displayName,
    description: t.description,
    ...teamNulls,
    visibility: null,
    webUrl: null,
    isArchived: t.isArchived,
    tenantId: o.tenantId,
  });
  const teamJson = (t: FakeTeam) => ({
    '@odata.context': `${GRAPH}/$metadata#teams/$entity`,
    id: t.id,
    createdDateTime: t.createdDateTime,
    displayName: t.displayName,
    description: t.description,
    internalId: t.channels[0]?.id ?? null,
    classification: null,
    specialization: 'none',
    visibility: t.visibility,
    webUrl: t.webUrl,
    isArchived: t.isArchived,
    tenantId: o.tenantId,
    isMembershipLimitedToOwners: false,
    memberSettings: { allowCreateUpdateChannels: true, allowDeleteChannels: true },
    guestSettings: { allowCreateUpdateChannels: false, allowDeleteChannels: false },
    messagingSettings: { allowUserEditMessages: true, allowUserDeleteMessages: true },
    funSettings: { allowGiphy: true, giphyContentRating: 'moderate' },
    discoverySettings: { showInTeamsSearchAndSuggestions: t.visibility === 'public' },
    summary: t.summary,
  });
  const channelJson = (c: FakeChannel) => ({
    id: c.id,
    createdDateTime: c.createdDateTime,
    displayName: c.displayName,
    description: c.description,
    isFavoriteByDefault: null,
    email: c.email,
    tenantId: o.tenantId,
    webUrl: c.webUrl,
    membershipType: c.membershipType,
    isArchived: c.isArchived,
  });
  const messageJson = (m: FakeChatMessage) => ({
    '@odata.context': `${GRAPH}/$metadata#teams('${m.channelIdentity.teamId}')/channels('${encodeURIComponent(m.channelIdentity.channelId)}')/messages/$entity`,
    id: m.id,
    replyToId: m.replyToId,
    etag: m.id,
    messageType: 'message',
    createdDateTime: m.createdDateTime,
    lastModifiedDateTime: m.createdDateTime,
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: null,
    summary: null,
    chatId: null,
    importance: 'normal',
    locale: 'en-us',
    webUrl: m.webUrl,
    policyViolation: null,
    eventDetail: null,
    from: {
      application: null,
      device: null,
      user: {
        '@odata.type': '#microsoft.graph.teamworkUserIdentity',
        id: o.user.id,
        displayName: o.user.displayName,
        userIdentityType: 'aadUser',
        tenantId: o.tenantId,
      },
    },
    body: m.body,
    channelIdentity: m.channelIdentity,
    attachments: [],
    mentions: [],
    reactions: [],
  });

  const missingScope = (required: string[], scopes: string[]): FakeReply | undefined =>
    required.some((s) => scopes.includes(s))
      ? undefined
      : graphError(
          403,
          'Forbidden',
          `Missing scope permissions on the request. API requires one of '${required.join(', ')}'. Roles on the request ''. Scopes on the request '${scopes.join(', ')}'.`,
        );

  const visibleTeam = (id: string): FakeTeam | FakeReply => {
    const t = teams.get(id);
    if (!t?.joined) return graphError(404, 'NotFound', `No team found with Group Id ${id}`);
    return t;
  };

  const postMessage = (req: FakeRequest, t: FakeTeam, c: FakeChannel, parentId?: string): FakeReply => {
    let parent: FakeChatMessage | undefined;
    if (parentId !== undefined) {
      parent = c.messages.find((m) => m.id === parentId && m.replyToId === null);
      if (!parent) return graphError(404, 'NotFound', 'Message not found.');
    }
    let body: { body?: { contentType?: unknown; content?: unknown } };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return graphError(400, 'BadRequest', 'Invalid request body was sent.');
    }
    const contentType = body.body?.contentType ?? 'text';
    if (contentType !== 'text' && contentType !== 'html') {
      return graphError(
        400,
        'BadRequest',
        `Cannot convert the literal '${String(contentType)}' to the expected type 'microsoft.graph.bodyType'.`,
      );
    }
    if (typeof body.body?.content !== 'string' || body.body.content.trim() === '') {
      return graphError(400, 'BadRequest', 'Message body cannot be null or empty.');
    }
    if (t.isArchived || c.isArchived) {
      return graphError(403, 'Forbidden', 'Cannot post message to an archived team or channel.');
    }
    // Message ids are the creation time in ms, unique per channel.
    const now = Math.max(Date.now(), lastMessageId + 1);
    lastMessageId = now;
    const id = String(now);
    const m: FakeChatMessage = {
      id,
      replyToId: parent?.id ?? null,
      createdDateTime: new Date(now).toISOString(),
      // Graph stores text as given; html is kept as sent (sanitised in the real service).
      body: { contentType, content: body.body.content },
      webUrl: `https://teams.microsoft.com/l/message/${encodeURIComponent(c.id)}/${id}?groupId=${t.id}&tenantId=${o.tenantId}&createdTime=${id}&parentMessageId=${parent?.id ?? id}`,
      channelIdentity: { teamId: t.id, channelId: c.id },
    };
    c.messages.push(m);
    changed('chatMessage', 'created', { teamId: t.id, channelId: c.id, messageId: id });
    return reply(201, messageJson(m));
  };

  const handle = (req: FakeRequest, scopes: string[]): FakeReply | undefined => {
    const parts = req.path.split('/').slice(2).map(decodeURIComponent); // after /v1.0
    const [a, b, c, d, e, f, g] = parts;
    if (req.method === 'GET' && parts.length === 2 && a === 'me' && b === 'joinedTeams') {
      const refused = missingScope(REQUIRED.joinedTeams, scopes);
      if (refused) return refused;
      const joined = [...teams.values()].filter((t) => t.joined);
      return page(joined, req, pageSizes.teams, 'teams', joinedJson);
    }
    if (a !== 'teams' || b === undefined) return undefined;
    if (req.method === 'GET' && parts.length === 2) {
      const refused = missingScope(REQUIRED.team, scopes);
      if (refused) return refused;
      const t = visibleTeam(b);
      return 'status' in t ? t : reply(200, teamJson(t));
    }
    if (c !== 'channels') return undefined;
    if (req.method === 'GET' && parts.length === 3) {
      const refused = missingScope(REQUIRED.channels, scopes);
      if (refused) return refused;
      const t = visibleTeam(b);
      if ('status' in t) return t;
      const visible = t.channels.filter((ch) => ch.membershipType === 'standard' || ch.member);
      return page(visible, req, pageSizes.channels, `teams('${t.id}')/channels`, channelJson);
    }
    const posting =
      req.method === 'POST' &&
      d !== undefined &&
      e === 'messages' &&
      (parts.length === 5 || (parts.length === 7 && f !== undefined && g === 'replies'));
    if (!posting) return undefined;
    const refused = missingScope(REQUIRED.send, scopes);
    if (refused) return refused;
    const t = visibleTeam(b);
    if ('status' in t) return t;
    const ch = t.channels.find((x) => x.id === d && (x.membershipType === 'standard' || x.member));
    if (!ch) return graphError(404, 'NotFound', `Channel ${d} not found in team ${t.id}.`);
    return postMessage(req, t, ch, parts.length === 7 ? f : undefined);
  };

  return {
    handle,
    fault: () => {
      const armed = fault;
      fault = undefined;
      if (!armed) return undefined;
      if (armed.kind === 'refuse') return graphError(403, 'Forbidden', REFUSAL_MESSAGE);
      if (armed.kind === 'down') {
        return graphError(
          503,
          'serviceNotAvailable',
          'Service is temporarily unavailable. Please try again later.',
          {
            'retry-after': String(armed.retryAfter),
          },
        );
      }
      // https://learn.microsoft.com/en-us/graph/throttling#sample-response
      return reply(
        429,
        {
          error: {
            code: 'TooManyRequests',
            innerError: {
              code: '429',
              date: new Date().toISOString().slice(0, 19),
              message: 'Please retry after',
              'request-id': randomUUID(),
              status: '429',
            },
            message: 'Please retry again later.',
          },
        },
        { 'retry-after': String(armed.retryAfter) },
      );
    },
    addTeam,
    seedTeams: (n, t = {}) =>
      Array.from(
        { length: n },
        (_, i) => addTeam({ visibility: i % 2 === 0 ? 'public' : 'private', ...t }).id,
      ),
    addChannel,
    seedChannels: (teamId, n) => Array.from({ length: n }, () => addChannel(teamId).id),
    team: (id) => teams.get(id),
    removeTeam: (id) => {
      teams.delete(id);
      changed('team', 'deleted', { teamId: id });
    },
    updateTeam: (id, change) => {
      const t = knownTeam(id);
      Object.assign(t, change);
      if (change.isArchived !== undefined) for (const c of t.channels) c.isArchived = change.isArchived;
      changed('team', 'updated', { teamId: id });
    },
    updateChannel: (teamId, channelId, change) => {
      Object.assign(knownChannel(teamId, channelId), change);
      changed('channel', 'updated', { teamId, channelId });
    },
    removeChannel: (teamId, channelId) => {
      const t = knownTeam(teamId);
      t.channels.splice(t.channels.indexOf(knownChannel(teamId, channelId)), 1);
      changed('channel', 'deleted', { teamId, channelId });
    },
    setPageSize: (sizes) => {
      if (sizes.teams !== undefined) pageSizes.teams = sizes.teams;
      if (sizes.channels !== undefined) pageSizes.channels = sizes.channels;
    },
    setNextLinkOrigin: (origin) => {
      nextOrigin = origin;
    },
    failNext: (kind, retryAfterSeconds = 30) => {
      fault = { kind, retryAfter: retryAfterSeconds };
    },
  };
};
