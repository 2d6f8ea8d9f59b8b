import { randomUUID } from 'node:crypto';
import { type FakeReply, randomToken, reply } from './server';

/**
 * The workspace behind the Slack fake: channels (public, private, archived) with direct
 * messages beside them, members (people, bots, deactivated ones, Slackbot), messages, and the
 * Web API methods that read and write them, answered in Slack's shapes: HTTP 200 with
 * `{"ok": true, …}` or `{"ok": false, "error": "<code>"}` (`missing_scope` with `needed` and
 * `provided`), cursor paging through `response_metadata.next_cursor` ("" on the last page).
 * https://docs.slack.dev/reference/methods/conversations.list
 * https://docs.slack.dev/reference/methods/users.list
 * https://docs.slack.dev/reference/methods/chat.postMessage
 * https://docs.slack.dev/reference/methods/search.messages
 * https://docs.slack.dev/apis/web-api/pagination
 *
 * Every change (seeding included) is also an Events API event handed to `emit`, which the
 * fake POSTs to the app's Request URL once one is set (slack-events.ts).
 * https://docs.slack.dev/reference/events
 */

export type TokenKind = 'bot' | 'user';
/** Who calls: the token's kind and scopes, and the member it acts as. */
export type Caller = { kind: TokenKind; scopes: string[]; userId: string; botId?: string };

export type SlackChannelSeed = {
  name?: string;
  private?: boolean;
  archived?: boolean;
  /** Whether the app's bot (and the installing user) are in it; default true. */
  member?: boolean;
  topic?: string;
  purpose?: string;
  members?: number;
};

export type SlackUserSeed = {
  bot?: boolean;
  deleted?: boolean;
  name?: string;
  realName?: string;
  displayName?: string;
  tz?: string;
};

type Conversation = {
  seq: number;
  id: string;
  kind: 'channel' | 'im';
  name: string;
  created: number;
  private: boolean;
  archived: boolean;
  member: boolean;
  topic: string;
  purpose: string;
  members: number;
  /** For direct messages: the other member. */
  user?: string;
};

type Member = {
  seq: number;
  id: string;
  name: string;
  realName: string;
  displayName: string;
  bot: boolean;
  deleted: boolean;
  tz: string | null;
  botId?: string;
};

type StoredMessage = { ts: string; user: string; botId?: string; text: string; threadTs?: string };

const ok = (body: Record<string, unknown>) => reply(200, { ok: true, ...body });
export const slackError = (error: string, extra: Record<string, unknown> = {}): FakeReply =>
  reply(200, { ok: false, error, ...extra });

const encodeCursor = (kind: string, id: string) => Buffer.from(`${kind}:${id}`).toString('base64');
const decodeCursor = (kind: string, cursor: string): string | undefined => {
  const decoded = Buffer.from(cursor, 'base64').toString('utf8');
  return decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : undefined;
};

/** Where a cursor-paged list starts: its first item, or `invalid_cursor`. */
const startOf = <T extends { id: string }>(items: T[], kind: string, cursor: string): number | FakeReply => {
  if (!cursor) return 0;
  const id = decodeCursor(kind, cursor);
  const at = id === undefined ? -1 : items.findIndex((i) => i.id === id);
  return at < 0 ? slackError('invalid_cursor') : at;
};

const CHANNEL_SCOPES: Record<string, string> = {
  public_channel: 'channels:read',
  private_channel: 'groups:read',
  mpim: 'mpim:read',
  im: 'im:read',
};

const avatar = (id: string, size: number) => `https://avatars.slack-edge.com/2024-01-01/${id}_${size}.png`;

export const createWorkspace = (o: {
  team: { id: string; name: string };
  /** https://acme-corp.slack.com/ */
  url: string;
  appId: string;
  botId: string;
  botUserId: string;
  userId: string;
  /** Receives each change as the Events API event Slack sends for it. */
  emit?: (event: Record<string, unknown>) => void;
}) => {
  const { team } = o;
  const emit = o.emit ?? (() => undefined);
  const origin = new URL(o.url).origin;
  const idOf = (prefix: string) => `${prefix}0${randomToken(9).toUpperCase()}`;
  let seq = 0;
  let clock = 1_700_000_000;
  const conversations: Conversation[] = [];
  const members: Member[] = [];
  const messages = new Map<string, StoredMessage[]>();
  /** An event's `event_ts`: the workspace's clock, unique. */
  const eventTs = () => `${clock}.${String(++seq).padStart(6, '0')}`;
  const known = (id: string) => {
    const c = conversations.find((x) => x.id === id && x.kind === 'channel');
    if (!c) throw new Error(`The Slack fake has no channel ${id}`);
    return c;
  };
  const knownMember = (id: string) => {
    const m = members.find((x) => x.id === id);
    if (!m) throw new Error(`The Slack fake has no member ${id}`);
    return m;
  };

  const addMember = (m: Omit<Member, 'seq'>) => {
    members.push({ seq: ++seq, ...m });
    return m.id;
  };
  // Every workspace lists Slackbot, the installing user and the app's bot user.
  addMember({
    id: 'USLACKBOT',
    name: 'slackbot',
    realName: 'Slackbot',
    displayName: 'Slackbot',
    bot: false,
    deleted: false,
    tz: 'America/Los_Angeles',
  });
  addMember({
    id: o.userId,
    name: 'mia',
    realName: 'Mia Wallace',
    displayName: 'mia',
    bot: false,
    deleted: false,
    tz: 'Europe/Berlin',
  });
  addMember({
    id: o.botUserId,
    name: 'acme-sync',
    realName: 'Acme Sync',
    displayName: '',
    bot: true,
    deleted: false,
    tz: 'America/Los_Angeles',
    botId: o.botId,
  });

  const channelJson = (c: Conversation) =>
    c.kind === 'im'
      ? {
          id: c.id,
          created: c.created,
          is_archived: false,
          is_im: true,
          is_org_shared: false,
          context_team_id: team.id,
          updated: c.created * 1000,
          user: c.user,
          is_user_deleted: false,
          priority: 0,
        }
      : {
          id: c.id,
          name: c.name,
          is_channel: true,
          is_group: false,
          is_im: false,
          is_mpim: false,
          is_private: c.private,
          created: c.created,
          is_archived: c.archived,
          is_general: c.name === 'general',
          unlinked: 0,
          name_normalized: c.name,
          is_shared: false,
          is_org_shared: false,
          is_pending_ext_shared: false,
          pending_shared: [],
          context_team_id: team.id,
          updated: c.created * 1000,
          parent_conversation: null,
          creator: o.userId,
          is_ext_shared: false,
          shared_team_ids: [team.id],
          pending_connected_team_ids: [],
          is_member: c.member,
          topic: { value: c.topic, creator: c.topic ? o.userId : '', last_set: c.topic ? c.created : 0 },
          purpose: {
            value: c.purpose,
            creator: c.purpose ? o.userId : '',
            last_set: c.purpose ? c.created : 0,
          },
          previous_names: [],
          num_members: c.members,
        };

  const memberJson = (m: Member, withEmail: boolean) => {
    const images = Object.fromEntries([24, 32, 48, 72, 192, 512].map((s) => [`image_${s}`, avatar(m.id, s)]));
    const profile = {
      real_name: m.realName,
      real_name_normalized: m.realName,
      display_name: m.displayName,
      display_name_normalized: m.displayName,
      avatar_hash: m.id.slice(-6).toLowerCase(),
      ...images,
      team: team.id,
      ...(m.botId ? { bot_id: m.botId, api_app_id: o.appId, always_active: false } : {}),
      ...(!m.bot && !m.deleted && m.id !== 'USLACKBOT'
        ? {
            title: '',
            phone: '',
            status_text: '',
            status_emoji: '',
            ...(withEmail ? { email: `${m.name}@acme.example` } : {}),
          }
        : {}),
    };
    // Deactivated members keep little more than their name and profile.
    if (m.deleted) {
      return {
        id: m.id,
        team_id: team.id,
        name: m.name,
        deleted: true,
        profile,
        is_bot: m.bot,
        is_app_user: false,
        updated: clock,
      };
    }
    return {
      id: m.id,
      team_id: team.id,
      name: m.name,
      deleted: false,
      color: '9f69e7',
      real_name: m.realName,
      ...(m.tz ? { tz: m.tz, tz_label: m.tz, tz_offset: 3600 } : {}),
      profile,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: m.bot,
      is_app_user: false,
      updated: clock,
    };
  };

  /** Every scope missing for the call, as Slack's missing_scope answer; undefined when none. */
  const lacking = (caller: Caller, needed: string[]): FakeReply | undefined => {
    const missing = needed.filter((s) => !caller.scopes.includes(s));
    return missing.length === 0
      ? undefined
      : slackError('missing_scope', { needed: missing.join(','), provided: caller.scopes.join(',') });
  };

  const visible = (c: Conversation) => c.kind === 'channel' && (!c.private || c.member);

  /** A channel by id or name (`#general`, `general`), as chat.postMessage takes it. */
  const findChannel = (ref: string) => {
    const name = ref.replace(/^#/, '');
    return conversations.find((c) => visible(c) && (c.id === ref || c.name === name));
  };

  const prefixed = (c: Conversation, what: string) => `${c.private ? 'group' : 'channel'}_${what}`;
  const memberJoined = (c: Conversation, user: string) => ({
    type: 'member_joined_channel',
    user,
    channel: c.id,
    channel_type: c.private ? 'G' : 'C',
    team: team.id,
    event_ts: eventTs(),
  });
  /** A new member: team_join with the whole user. https://docs.slack.dev/reference/events/team_join */
  const joined = (m: Omit<Member, 'seq'>) => {
    const id = addMember(m);
    emit({ type: 'team_join', user: memberJson(knownMember(id), true), event_ts: eventTs() });
    return id;
  };

  const methods: Record<string, (args: URLSearchParams, caller: Caller) => FakeReply> = {
    /**
     * Pages over every conversation in creation order, then drops those of other types or
     * archived when excluded: a page may hold fewer than `limit`, even none.
     */
    'conversations.list': (args, caller) => {
      const types = (args.get('types') || 'public_channel').split(',').map((t) => t.trim());
      if (types.some((t) => !(t in CHANNEL_SCOPES))) return slackError('invalid_types');
      const scopes = lacking(
        caller,
        types.map((t) => CHANNEL_SCOPES[t] ?? ''),
      );
      if (scopes) return scopes;
      const limit = Number(args.get('limit') || 100);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return slackError('invalid_limit');
      const start = startOf(conversations, 'channel', args.get('cursor') ?? '');
      if (typeof start !== 'number') return start;
      const slice = conversations.slice(start, start + limit);
      const following = conversations[start + limit];
      const exclude = args.get('exclude_archived') === 'true';
      const wanted = (c: Conversation) =>
        c.kind === 'im'
          ? types.includes('im')
          : visible(c) &&
            types.includes(c.private ? 'private_channel' : 'public_channel') &&
            !(exclude && c.archived);
      return ok({
        channels: slice.filter(wanted).map(channelJson),
        response_metadata: { next_cursor: following ? encodeCursor('channel', following.id) : '' },
      });
    },

    /** Without `limit` Slack answers everyone at once. */
    'users.list': (args, caller) => {
      const scopes = lacking(caller, ['users:read']);
      if (scopes) return scopes;
      const limit = Number(args.get('limit') || 0);
      const start = startOf(members, 'user', args.get('cursor') ?? '');
      if (typeof start !== 'number') return start;
      const end = limit > 0 ? start + Math.min(limit, 1000) : members.length;
      const following = members[end];
      return ok({
        members: members
          .slice(start, end)
          .map((m) => memberJson(m, caller.scopes.includes('users:read.email'))),
        cache_ts: clock,
        response_metadata: { next_cursor: following ? encodeCursor('user', following.id) : '' },
      });
    },

    'chat.postMessage': (args, caller) => {
      const scopes = lacking(caller, ['chat:write']);
      if (scopes) return scopes;
      const c = findChannel(args.get('channel') ?? '');
      if (!c) return slackError('channel_not_found');
      if (c.archived) return slackError('is_archived');
      if (!c.member && !caller.scopes.includes('chat:write.public')) return slackError('not_in_channel');
      const text = args.get('text') ?? '';
      if (!text) return slackError('no_text');
      if (text.length > 40_000) return slackError('msg_too_long');
      const threadTs = args.get('thread_ts') || undefined;
      const stored = store(
        c.id,
        { user: caller.userId, text, ...(threadTs ? { threadTs } : {}) },
        caller.botId,
      );
      return ok({
        channel: c.id,
        ts: stored.ts,
        message: {
          user: caller.userId,
          type: 'message',
          ts: stored.ts,
          ...(caller.botId ? { bot_id: caller.botId, app_id: o.appId } : {}),
          text,
          team: team.id,
          ...(threadTs ? { thread_ts: threadTs, parent_user_id: o.userId } : {}),
          blocks: [],
        },
      });
    },

    /** Newest first; `count` at most 100, `page` at most 100. Bot tokens may not search. */
    'search.messages': (args, caller) => {
      if (caller.kind === 'bot') return slackError('not_allowed_token_type');
      const scopes = lacking(caller, ['search:read']);
      if (scopes) return scopes;
      const query = args.get('query') ?? '';
      const count = Math.min(Math.max(Number(args.get('count') || 20), 1), 100);
      const page = Math.min(Math.max(Number(args.get('page') || 1), 1), 100);
      const found = conversations
        .filter(visible)
        .flatMap((c) =>
          (messages.get(c.id) ?? [])
            .filter((m) => m.text.toLowerCase().includes(query.toLowerCase()))
            .map((m) => ({ c, m })),
        )
        .sort((a, b) => Number(b.m.ts) - Number(a.m.ts));
      const pages = Math.ceil(found.length / count);
      const matches = found.slice((page - 1) * count, page * count).map(({ c, m }) => {
        const link = `${origin}/archives/${c.id}/p${m.ts.replace('.', '')}`;
        return {
          iid: randomToken(8),
          team: team.id,
          score: 0,
          channel: {
            id: c.id,
            is_channel: !c.private,
            is_group: false,
            is_im: false,
            is_mpim: false,
            name: c.name,
            is_shared: false,
            is_org_shared: false,
            is_ext_shared: false,
            is_private: c.private,
            pending_shared: [],
            is_pending_ext_shared: false,
          },
          type: 'message',
          user: m.user,
          username: members.find((u) => u.id === m.user)?.name ?? '',
          ts: m.ts,
          blocks: [],
          text: m.text,
          permalink: m.threadTs && m.threadTs !== m.ts ? `${link}?thread_ts=${m.threadTs}&cid=${c.id}` : link,
          no_reactions: true,
        };
      });
      const first = found.length === 0 ? 0 : (page - 1) * count + 1;
      return ok({
        query,
        messages: {
          total: found.length,
          pagination: {
            total_count: found.length,
            page,
            per_page: count,
            page_count: pages,
            first,
            last: first === 0 ? 0 : first + matches.length - 1,
          },
          paging: { count, total: found.length, page, pages },
          matches,
        },
      });
    },
  };

  const store = (channel: string, m: Omit<StoredMessage, 'ts'>, botId?: string): StoredMessage => {
    clock += 7;
    const stored = { ...m, ts: `${clock}.${String(++seq).padStart(6, '0')}`, ...(botId ? { botId } : {}) };
    messages.set(channel, [...(messages.get(channel) ?? []), stored]);
    // https://docs.slack.dev/reference/events/message
    const c = conversations.find((x) => x.id === channel);
    emit({
      type: 'message',
      channel,
      user: stored.user,
      text: stored.text,
      ts: stored.ts,
      team: team.id,
      ...(botId ? { bot_id: botId, app_id: o.appId } : { client_msg_id: randomUUID() }),
      ...(stored.threadTs ? { thread_ts: stored.threadTs, parent_user_id: o.userId } : {}),
      blocks: [],
      event_ts: stored.ts,
      channel_type: c?.kind === 'im' ? 'im' : c?.private ? 'group' : 'channel',
    });
    return stored;
  };

  return {
    methods,
    seedChannels: (n: number, s: SlackChannelSeed = {}): string[] =>
      Array.from({ length: n }, () => {
        clock += 60;
        const number = ++seq;
        const c: Conversation = {
          seq: number,
          id: idOf('C'),
          kind: 'channel',
          name: s.name && n === 1 ? s.name : `${s.name ?? (s.private ? 'private' : 'channel')}-${number}`,
          created: clock,
          private: s.private ?? false,
          archived: s.archived ?? false,
          member: s.member ?? true,
          topic: s.topic ?? (number % 3 === 0 ? `Topic ${number}` : ''),
          purpose: s.purpose ?? (number % 2 === 0 ? `Purpose of channel ${number}` : ''),
          members: s.members ?? (number % 40) + 1,
        };
        conversations.push(c);
        // Public channels announce themselves; a private one shows only to its members.
        // https://docs.slack.dev/reference/events/channel_created
        if (!c.private) {
          emit({
            type: 'channel_created',
            channel: {
              id: c.id,
              name: c.name,
              is_channel: true,
              is_private: false,
              created: c.created,
              creator: o.userId,
              name_normalized: c.name,
              context_team_id: team.id,
            },
            event_ts: eventTs(),
          });
        } else if (c.member) {
          emit(memberJoined(c, o.botUserId));
        }
        return c.id;
      }),
    /** Direct messages: listed by conversations.list only for `types=im`. */
    seedDirectMessages: (n: number): string[] =>
      Array.from({ length: n }, () => {
        clock += 60;
        const c: Conversation = {
          seq: ++seq,
          id: idOf('D'),
          kind: 'im',
          name: '',
          created: clock,
          private: true,
          archived: false,
          member: true,
          topic: '',
          purpose: '',
          members: 2,
          user: o.userId,
        };
        conversations.push(c);
        return c.id;
      }),
    seedUsers: (n: number, s: SlackUserSeed = {}): string[] =>
      Array.from({ length: n }, () => {
        const number = seq + 1;
        const name = s.name && n === 1 ? s.name : `${s.name ?? (s.bot ? 'bot' : 'user')}${number}`;
        return joined({
          id: idOf('U'),
          name,
          realName: s.realName ?? `${s.bot ? 'Bot' : 'Person'} ${number}`,
          displayName: s.displayName ?? (s.bot ? '' : name),
          bot: s.bot ?? false,
          deleted: s.deleted ?? false,
          tz: s.bot || s.deleted ? null : (s.tz ?? 'Europe/Paris'),
          ...(s.bot ? { botId: idOf('B') } : {}),
        });
      }),
    /** Messages by the installing user; `threadTs` makes them replies. */
    seedMessages: (channel: string, texts: string[], s: { threadTs?: string } = {}): string[] =>
      texts.map(
        (text) =>
          store(channel, { user: o.userId, text, ...(s.threadTs ? { threadTs: s.threadTs } : {}) }).ts,
      ),
    conversation: (id: string) => conversations.find((c) => c.id === id),
    /** The channel as conversations.list answers it. */
    channelJson: (id: string): Record<string, unknown> | undefined => {
      const c = conversations.find((x) => x.id === id);
      return c ? channelJson(c) : undefined;
    },
    /** The member as users.list answers it (with email). */
    memberJson: (id: string): Record<string, unknown> | undefined => {
      const m = members.find((x) => x.id === id);
      return m ? memberJson(m, true) : undefined;
    },
    /** Channels conversations.list returns for public and private types (archived included). */
    channelIds: () => conversations.filter(visible).map((c) => c.id),
    userIds: () => members.map((m) => m.id),
    messagesIn: (channel: string) => messages.get(channel) ?? [],
    // Private channels have the group_* variants of each event.
    // https://docs.slack.dev/reference/events/channel_archive
    archive: (id: string) => {
      const c = known(id);
      c.archived = true;
      emit({ type: prefixed(c, 'archive'), channel: c.id, user: o.userId, event_ts: eventTs() });
    },
    // https://docs.slack.dev/reference/events/channel_unarchive
    unarchive: (id: string) => {
      const c = known(id);
      c.archived = false;
      emit({ type: prefixed(c, 'unarchive'), channel: c.id, user: o.userId, event_ts: eventTs() });
    },
    // https://docs.slack.dev/reference/events/channel_rename
    rename: (id: string, name: string) => {
      const c = known(id);
      c.name = name;
      emit({
        type: prefixed(c, 'rename'),
        channel: { id: c.id, name, name_normalized: name, created: c.created, is_channel: !c.private },
        event_ts: eventTs(),
      });
    },
    // https://docs.slack.dev/reference/events/channel_deleted
    deleteChannel: (id: string) => {
      const c = known(id);
      conversations.splice(conversations.indexOf(c), 1);
      messages.delete(id);
      emit({ type: prefixed(c, 'deleted'), channel: c.id, event_ts: eventTs() });
    },
    // https://docs.slack.dev/reference/events/member_joined_channel
    join: (id: string, user: string) => {
      const c = known(id);
      knownMember(user);
      c.members += 1;
      emit(memberJoined(c, user));
    },
    /** Changes a member's profile (or deactivates them): user_change with the whole user. */
    updateUser: (id: string, change: Pick<SlackUserSeed, 'realName' | 'displayName' | 'deleted' | 'tz'>) => {
      const m = knownMember(id);
      if (change.realName !== undefined) m.realName = change.realName;
      if (change.displayName !== undefined) m.displayName = change.displayName;
      if (change.deleted !== undefined) m.deleted = change.deleted;
      if (change.tz !== undefined) m.tz = change.tz;
      clock += 1;
      // https://docs.slack.dev/reference/events/user_change
      emit({ type: 'user_change', user: memberJson(m, true), cache_ts: clock, event_ts: eventTs() });
    },
  };
};

export type SlackWorkspace = ReturnType<typeof createWorkspace>;
