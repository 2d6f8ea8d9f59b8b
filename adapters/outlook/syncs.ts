import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import { callGraph, deltaPage, failure, isSyncReset, ownLink, UTC_PREFER } from './graph';
import type { manifest } from './manifest';
import {
  eventRecord,
  eventRecordId,
  type GraphEvent,
  type GraphMessage,
  graphEvent,
  graphMessage,
  messageRecord,
  messageRecordId,
} from './mapping';

/**
 * Both syncs follow Graph's delta query: a round starts with the delta function
 * (`…/calendarView/delta?startDateTime&endDateTime`, `…/mailFolders/inbox/messages/delta`),
 * walks `@odata.nextLink` pages, and its last page carries `@odata.deltaLink` — kept as the
 * run's `cursor`, the next incremental run starts from it and gets only what changed since
 * (updates in full, deletions as `{ id, "@removed" }`, which become `deletedIds`). When Graph
 * no longer knows a delta link's state (410 Gone, `syncStateNotFound`) the run starts a new
 * round and says so with `resync`: the engine then treats it as a full run, deleting what the
 * new round no longer lists. Its links are followed as Graph gives them (their tokens are
 * opaque) and only on the base URL's host.
 * https://learn.microsoft.com/en-us/graph/delta-query-overview
 * https://learn.microsoft.com/en-us/graph/delta-query-events
 * https://learn.microsoft.com/en-us/graph/delta-query-messages
 */

/** Items a page: Graph's default is 10 for both; 50 keeps runs short and pages small. */
const PAGE_SIZE = 50;
const DAY_MS = 86_400_000;
/** The calendar window: a calendarView delta covers a fixed range, set when a round starts. */
const WINDOW_PAST_DAYS = 90;
const WINDOW_FUTURE_DAYS = 365;
/**
 * A round's range does not move, so events further ahead than its end never show up in it:
 * once the end is this close, an incremental run starts a new round (a new range) instead.
 */
const WINDOW_RENEW_DAYS = 30;
/** The folder the messages sync reads, by its well-known name, and how records name it. */
const INBOX = 'inbox';

/**
 * Where a run stands: the next page's link, whether this run started a new round, and the
 * calendar range's end (for the cursor: the range itself is inside the links).
 */
const checkpoint = z.object({
  link: z.string().check(z.minLength(1)),
  resync: z.optional(z.boolean()),
  end: z.optional(z.string()),
});
type Checkpoint = z.infer<typeof checkpoint>;

/** What a run hands the next one: the round's delta link (and, for calendars, the range's end). */
const cursorSchema = z.object({
  deltaLink: z.string().check(z.minLength(1)),
  windowEnd: z.optional(z.string()),
});
type Cursor = z.infer<typeof cursorSchema>;

type DeltaSync<T> = {
  what: string;
  item: z.ZodMiniType<T & { id: string; '@removed'?: unknown }>;
  headers: Record<string, string>;
  /** The first link of a new round, and the end of its range where it has one. */
  start: (ctx: SyncContext) => { link: string; end?: string };
  /** Whether a stored cursor may still be used (the calendar range not near its end). */
  usable: (cursor: Cursor, now: number) => boolean;
  record: (item: T) => SyncRecord;
  deletedId: (id: string) => string;
};

const readCursor = <T>(ctx: SyncContext, sync: DeltaSync<T>): Cursor | undefined => {
  if (ctx.mode !== 'incremental') return undefined;
  const c = cursorSchema.safeParse(ctx.cursor).data;
  return c && sync.usable(c, Date.now()) ? c : undefined;
};

/** Where a run starts: its checkpoint, else the cursor's delta link, else a new round. */
const startOf = <T>(ctx: SyncContext, sync: DeltaSync<T>): Checkpoint & { fresh: boolean } => {
  const resumed = checkpoint.safeParse(ctx.checkpoint).data;
  if (resumed) return { ...resumed, link: ownLink(resumed.link, ctx.baseUrl), fresh: false };
  const cursor = readCursor(ctx, sync);
  if (cursor) {
    return {
      link: ownLink(cursor.deltaLink, ctx.baseUrl),
      ...(cursor.windowEnd ? { end: cursor.windowEnd } : {}),
      fresh: false,
    };
  }
  // An incremental run without a usable cursor lists everything, as a full run does.
  return { ...sync.start(ctx), ...(ctx.mode === 'incremental' ? { resync: true } : {}), fresh: true };
};

const deltaSync =
  <T>(sync: DeltaSync<T>) =>
  async (ctx: SyncContext): Promise<SyncPage> => {
    const page = deltaPage(sync.item);
    let { fresh, ...state } = startOf(ctx, sync);
    for (;;) {
      const res = await callGraph(ctx, state.link, { headers: sync.headers });
      // A new round has no state to lose, so this starts over once at most.
      if (!fresh && isSyncReset(res)) {
        state = { ...sync.start(ctx), resync: true };
        fresh = true;
        continue;
      }
      if (res.status !== 200) throw failure(res);
      const answer = parseAnswer('Microsoft Graph', page, res, `GET ${sync.what}`);
      const gone = answer.value.filter((i) => i['@removed'] !== undefined);
      const result: SyncPage = {
        records: answer.value.filter((i) => i['@removed'] === undefined).map(sync.record),
        ...(gone.length > 0 ? { deletedIds: gone.map((i) => sync.deletedId(i.id)) } : {}),
        ...(state.resync ? { resync: true as const } : {}),
      };
      const next = answer['@odata.nextLink'];
      if (next) return { ...result, next: { ...state, link: ownLink(next, ctx.baseUrl) } };
      const deltaLink = answer['@odata.deltaLink'];
      if (!deltaLink) {
        throw new ProviderError('unreachable', `Microsoft Graph ended ${sync.what} without a delta link.`);
      }
      return {
        ...result,
        cursor: {
          deltaLink: ownLink(deltaLink, ctx.baseUrl),
          ...(state.end ? { windowEnd: state.end } : {}),
        },
      };
    }
  };

// ---------------------------------------------------------------------------------------
// calendar_events

const dayStart = (t: number) => new Date(Math.floor(t / DAY_MS) * DAY_MS).toISOString();

const calendarEvents: DeltaSync<GraphEvent> = {
  what: '/me/calendarView/delta',
  item: graphEvent,
  headers: { prefer: `${UTC_PREFER}, odata.maxpagesize=${PAGE_SIZE}` },
  // https://learn.microsoft.com/en-us/graph/api/event-delta
  start: (ctx) => {
    const now = Date.now();
    const end = dayStart(now + WINDOW_FUTURE_DAYS * DAY_MS);
    const q = new URLSearchParams({
      startDateTime: dayStart(now - WINDOW_PAST_DAYS * DAY_MS),
      endDateTime: end,
    });
    return { link: `${ctx.baseUrl}/me/calendarView/delta?${q}`, end };
  },
  usable: (c, now) => c.windowEnd !== undefined && Date.parse(c.windowEnd) - now > WINDOW_RENEW_DAYS * DAY_MS,
  record: eventRecord,
  deletedId: eventRecordId,
};

// ---------------------------------------------------------------------------------------
// messages

const messages: DeltaSync<GraphMessage> = {
  what: '/me/mailFolders/inbox/messages/delta',
  item: graphMessage,
  headers: { prefer: `odata.maxpagesize=${PAGE_SIZE}` },
  // https://learn.microsoft.com/en-us/graph/api/message-delta
  start: (ctx) => {
    // $select is carried in the links that follow: the rest of the message stays at Graph.
    const q = new URLSearchParams({
      $select:
        'subject,bodyPreview,from,toRecipients,ccRecipients,conversationId,webLink,receivedDateTime,createdDateTime',
    });
    return { link: `${ctx.baseUrl}/me/mailFolders/${INBOX}/messages/delta?${q}` };
  },
  usable: () => true,
  record: (m) => messageRecord(m, INBOX),
  deletedId: messageRecordId,
};

export const syncs: SyncsOf<typeof manifest> = {
  calendar_events: deltaSync(calendarEvents),
  messages: deltaSync(messages),
};
