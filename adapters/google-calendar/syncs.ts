import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import { eventRecord, eventRecordId, googleEvent, isCancelled } from './event';
import type { manifest } from './manifest';
import { callApi, eventsUrl, failure } from './rest';

/**
 * The `events` sync: every event of the connection's calendars (`config.calendars`, else
 * `primary`), one events.list page per `fetchPage`, calendar after calendar, following
 * Google's sync protocol:
 * - a full listing (no token) walks `pageToken`s to the last page, which carries a
 *   `nextSyncToken`; the run's last page returns them all as `cursor`
 *   (`{ <calendarId>: <token> }`), which the engine hands back as `ctx.cursor`;
 * - an incremental run lists with `syncToken`: only what changed since, deletions included
 *   as `status: "cancelled"` (→ `deletedIds`), and a new token at the end;
 * - Google may drop a token (410 GONE, reason `fullSyncRequired`): the run starts over as a
 *   full listing of every calendar and says so with `resync` — the engine then treats the
 *   run as full and deletes what no calendar returns any more. Starting over from the
 *   first calendar, not only the refused one, is what makes that conclusion sound.
 * `singleEvents=false`: recurring events come once (their master with its rules) plus their
 * changed or cancelled instances, not as one record per occurrence until the end of time.
 * https://developers.google.com/workspace/calendar/api/guides/sync
 * https://developers.google.com/workspace/calendar/api/v3/reference/events/list
 */

// Google's default; the most it answers is 2500.
const PAGE_SIZE = '250';

/** Where a run stands: the calendars it walks, the one being read, its next page, tokens so far. */
const checkpoint = z.object({
  calendars: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  index: z.int().check(z.minimum(0)),
  pageToken: z.optional(z.string()),
  tokens: z.record(z.string(), z.string()),
});
type Checkpoint = z.infer<typeof checkpoint>;

/** What a run hands the next one: each calendar's `nextSyncToken`. */
const syncCursor = z.record(z.string(), z.string());

const eventsAnswer = z.object({
  items: z.optional(z.array(googleEvent)),
  nextPageToken: z.optional(z.string()),
  nextSyncToken: z.optional(z.string()),
});
type EventsAnswer = z.infer<typeof eventsAnswer>;

const configuredCalendars = (ctx: SyncContext): string[] => {
  const listed = Array.isArray(ctx.config.calendars)
    ? ctx.config.calendars.filter((c): c is string => typeof c === 'string' && c.length > 0)
    : [];
  return listed.length > 0 ? [...new Set(listed)] : ['primary'];
};

const startOf = (calendars: string[]): Checkpoint => ({ calendars, index: 0, tokens: {} });

const readCheckpoint = (ctx: SyncContext): Checkpoint | undefined => {
  const r = checkpoint.safeParse(ctx.checkpoint);
  return r.success && r.data.index < r.data.calendars.length ? r.data : undefined;
};

/**
 * The tokens of an incremental run, when they cover exactly the calendars it walks. A
 * calendar added to or removed from the config, or a calendar whose listing gave no token,
 * makes them unusable: only a full run can tell what is gone.
 */
const usableCursor = (ctx: SyncContext, calendars: string[]): Record<string, string> | undefined => {
  if (ctx.mode !== 'incremental') return undefined;
  const r = syncCursor.safeParse(ctx.cursor);
  if (!r.success) return undefined;
  const keys = Object.keys(r.data);
  return keys.length === calendars.length && calendars.every((c) => r.data[c] !== undefined)
    ? r.data
    : undefined;
};

/** One page of a calendar's events; undefined when Google refused the sync token (410 GONE). */
const listPage = async (
  ctx: SyncContext,
  calendarId: string,
  pageToken: string | undefined,
  syncToken: string | undefined,
): Promise<EventsAnswer | undefined> => {
  const q = new URLSearchParams({ maxResults: PAGE_SIZE, singleEvents: 'false' });
  // With a token, deletions always come and showDeleted may not be false (nor timeMin, q…).
  if (syncToken !== undefined) q.set('syncToken', syncToken);
  else q.set('showDeleted', 'false');
  if (pageToken !== undefined) q.set('pageToken', pageToken);
  // https://developers.google.com/workspace/calendar/api/v3/reference/events/list
  const res = await callApi(ctx, eventsUrl(ctx.baseUrl, calendarId, q));
  if (res.status === 410 && syncToken !== undefined) return undefined;
  if (res.status !== 200) throw failure(res);
  return parseAnswer('Google Calendar', eventsAnswer, res, 'GET /calendars/{calendarId}/events');
};

const fetchEventsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const resumed = readCheckpoint(ctx);
  let state = resumed ?? startOf(configuredCalendars(ctx));
  // An incremental run that cannot use its cursor lists everything, as a full run does.
  let resync = resumed === undefined && ctx.mode === 'incremental' && !usableCursor(ctx, state.calendars);
  for (;;) {
    const calendarId = state.calendars[state.index] as string;
    const syncToken = resync ? undefined : usableCursor(ctx, state.calendars)?.[calendarId];
    const answer = await listPage(ctx, calendarId, state.pageToken, syncToken);
    if (answer === undefined) {
      // Without a token there is no 410 to get, so this starts over once at most.
      state = startOf(state.calendars);
      resync = true;
      continue;
    }
    const items = answer.items ?? [];
    const deletedIds = items.filter(isCancelled).map((e) => eventRecordId(calendarId, e.id));
    const page: SyncPage = {
      // Cancelled instances of recurring events come even with showDeleted=false.
      records: items.filter((e) => !isCancelled(e)).map((e) => eventRecord(calendarId, e)),
      ...(deletedIds.length > 0 ? { deletedIds } : {}),
      ...(resync ? { resync: true as const } : {}),
    };
    if (answer.nextPageToken !== undefined) {
      return { ...page, next: { ...state, pageToken: answer.nextPageToken } };
    }
    const tokens =
      answer.nextSyncToken !== undefined
        ? { ...state.tokens, [calendarId]: answer.nextSyncToken }
        : state.tokens;
    if (state.index + 1 < state.calendars.length) {
      return { ...page, next: { calendars: state.calendars, index: state.index + 1, tokens } };
    }
    return { ...page, cursor: tokens };
  }
};

export const syncs: SyncsOf<typeof manifest> = { events: fetchEventsPage };
