import { type FakeReply, type FakeRequest, randomToken, reply } from './server';

/**
 * The Calendar API's events on the Google fake: events.list and events.insert, with Google's
 * sync protocol and error bodies.
 * - Listing pages with `pageToken`/`nextPageToken` (maxResults: default 250, at most 2500)
 *   in a stable order (creation order; start time with `orderBy=startTime`); the last page
 *   carries `nextSyncToken`, issued for the calendar's state when the listing began.
 * - `syncToken`: only events changed since the token was issued, deleted ones included as
 *   `status: "cancelled"` with little more than their id; it cannot be combined with
 *   timeMin/timeMax/q/orderBy/updatedMin/iCalUID or showDeleted=false (400
 *   syncTokenWithRequestRestrictions); a token invalidated by `invalidateSyncTokens`
 *   (Google does so on its own, e.g. after ACL changes) or unknown is 410 GONE
 *   `fullSyncRequired`.
 * - Without a token, deleted events are left out (showDeleted=false, the default), except
 *   cancelled instances of recurring events when singleEvents is false, as Google documents.
 * - `singleEvents=true` expands recurring events into instances (ids `<id>_<start>`); the
 *   fake reads only `RRULE:FREQ=DAILY|WEEKLY;COUNT=n` (other rules: the first occurrence).
 * - events.insert validates what Google validates first (times, time zone, attendees) and
 *   answers 200 with the event.
 * https://developers.google.com/workspace/calendar/api/v3/reference/events/list
 * https://developers.google.com/workspace/calendar/api/v3/reference/events/insert
 * https://developers.google.com/workspace/calendar/api/guides/sync
 * https://developers.google.com/workspace/calendar/api/guides/errors
 */

export type EventTime = { date?: string; dateTime?: string; timeZone?: string };
export type Attendee = { email: string; responseStatus?: string; displayName?: string; self?: boolean };

/** An event as Google stores and answers it (the fields the fake knows). */
export type GoogleEvent = {
  kind: 'calendar#event';
  etag: string;
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  htmlLink: string;
  created: string;
  updated: string;
  summary?: string;
  description?: string;
  location?: string;
  creator: { email: string; self?: boolean };
  organizer: { email: string; displayName?: string; self?: boolean };
  start: EventTime;
  end: EventTime;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: EventTime;
  iCalUID: string;
  sequence: number;
  attendees?: Attendee[];
  reminders: { useDefault: boolean };
  eventType: 'default';
};

/** What a test may set on an event it seeds or changes. */
export type EventFields = Partial<
  Pick<
    GoogleEvent,
    | 'status'
    | 'summary'
    | 'description'
    | 'location'
    | 'start'
    | 'end'
    | 'recurrence'
    | 'attendees'
    | 'organizer'
    | 'created'
  >
>;

type Stored = { seq: number; changed: number; event: GoogleEvent };
type Calendar = {
  id: string;
  summary: string;
  timeZone: string;
  events: Map<string, Stored>;
  generation: number;
};
type SyncToken = { calendar: string; at: number; generation: number };
type Key = number[];
type PageToken = { calendar: string; after: Key; at: number; since: number | undefined; query: string };

export type FaultKind = 'refuse' | 'down' | 'rate_limit' | 'user_rate_limit' | 'too_many_requests';

/** A Google API error body: `{"error": {"code", "message", "errors": [{domain, reason, message}], "status"}}`. */
export const googleError = (
  code: number,
  message: string,
  reason: string,
  o: {
    domain?: string;
    status?: string;
    headers?: Record<string, string>;
    extra?: Record<string, string>;
  } = {},
): FakeReply =>
  reply(
    code,
    {
      error: {
        code,
        message,
        errors: [{ message, domain: o.domain ?? 'global', reason, ...o.extra }],
        ...(o.status ? { status: o.status } : {}),
      },
    },
    o.headers ?? {},
  );

const notFound = () => googleError(404, 'Not Found', 'notFound', { status: 'NOT_FOUND' });
const badRequest = (message: string, reason: string, domain = 'global') =>
  googleError(400, message, reason, { domain, status: 'INVALID_ARGUMENT' });

/** Google's answer to a fault a test asks for. */
export const faultReply = (kind: FaultKind, retryAfterSeconds?: number): FakeReply => {
  const headers = retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {};
  switch (kind) {
    case 'refuse':
      return notFound();
    case 'down':
      return googleError(500, 'Backend Error', 'backendError', { status: 'INTERNAL' });
    case 'rate_limit':
      return googleError(403, 'Rate Limit Exceeded', 'rateLimitExceeded', {
        domain: 'usageLimits',
        status: 'PERMISSION_DENIED',
        headers,
      });
    case 'user_rate_limit':
      return googleError(403, 'User Rate Limit Exceeded', 'userRateLimitExceeded', {
        domain: 'usageLimits',
        status: 'PERMISSION_DENIED',
        headers,
      });
    case 'too_many_requests':
      return googleError(429, 'Rate Limit Exceeded', 'rateLimitExceeded', {
        domain: 'usageLimits',
        status: 'RESOURCE_EXHAUSTED',
        headers,
      });
  }
};

const BASE32HEX = 'abcdefghijklmnopqrstuv0123456789';
const eventId = () => {
  let id = '';
  for (let i = 0; i < 26; i++) id += BASE32HEX[Math.floor(Math.random() * BASE32HEX.length)];
  return id;
};

const DAY_MS = 86_400_000;
const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
/** RFC 3339 with an offset (Google requires it unless a timeZone is given). */
const hasOffset = (s: string) => /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s);
const millisOf = (t: EventTime | undefined): number =>
  t?.dateTime ? Date.parse(t.dateTime) : t?.date ? Date.parse(`${t.date}T00:00:00Z`) : Number.NaN;
const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
};
const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
const noMillis = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export const startEventStore = (user: { email: string; summary: string; timeZone: string }) => {
  let clock = 0;
  let seqs = 0;
  const calendars = new Map<string, Calendar>();
  const syncTokens = new Map<string, SyncToken>();
  const pageTokens = new Map<string, PageToken>();
  const inserts: { calendarId: string; sendUpdates: string | null; body: unknown }[] = [];
  /** Every events.list asked, its query as sent (the request log keeps paths only). */
  const listings: { calendarId: string; query: Record<string, string> }[] = [];

  const addCalendar = (id: string, summary: string, timeZone = user.timeZone) => {
    calendars.set(id, { id, summary, timeZone, events: new Map(), generation: 0 });
  };
  addCalendar(user.email, user.summary);
  const calendarOf = (id: string): Calendar | undefined => calendars.get(id === 'primary' ? user.email : id);
  const mustCalendar = (id: string): Calendar => {
    const c = calendarOf(id);
    if (!c) throw new Error(`no calendar ${id} on the fake`);
    return c;
  };

  const htmlLink = (id: string, calendar: string) =>
    `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendar}`).toString('base64url')}`;

  /** Stores an event as changed now: a sync token issued before sees it. */
  const put = (c: Calendar, event: GoogleEvent, seq?: number) => {
    const changed = ++clock;
    event.etag = `"${3_450_000_000_000_000 + changed}"`;
    c.events.set(event.id, { seq: seq ?? ++seqs, changed, event });
  };

  const create = (c: Calendar, fields: EventFields & { id?: string; recurringEventId?: string }) => {
    const now = new Date().toISOString();
    const id = fields.id ?? eventId();
    const event: GoogleEvent = {
      kind: 'calendar#event',
      etag: '',
      id,
      status: fields.status ?? 'confirmed',
      htmlLink: htmlLink(id, c.id),
      created: fields.created ?? now,
      updated: now,
      ...(fields.summary !== undefined ? { summary: fields.summary } : {}),
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      ...(fields.location !== undefined ? { location: fields.location } : {}),
      creator: { email: user.email, self: true },
      organizer: fields.organizer ?? { email: c.id, displayName: c.summary, self: true },
      start: fields.start ?? { dateTime: '2025-03-03T09:00:00+01:00', timeZone: c.timeZone },
      end: fields.end ?? { dateTime: '2025-03-03T10:00:00+01:00', timeZone: c.timeZone },
      ...(fields.recurrence ? { recurrence: fields.recurrence } : {}),
      ...(fields.recurringEventId ? { recurringEventId: fields.recurringEventId } : {}),
      iCalUID: `${fields.recurringEventId ?? id}@google.com`,
      sequence: 0,
      ...(fields.attendees ? { attendees: fields.attendees } : {}),
      reminders: { useDefault: true },
      eventType: 'default',
    };
    put(c, event);
    return event;
  };

  /** The occurrences of a recurring event (DAILY/WEEKLY with COUNT), as instance events. */
  const instancesOf = (master: GoogleEvent): GoogleEvent[] => {
    const rule = /FREQ=(DAILY|WEEKLY);COUNT=(\d+)/.exec((master.recurrence ?? []).join(';'));
    const count = rule ? Number(rule[2]) : 1;
    const step = rule?.[1] === 'WEEKLY' ? 7 * DAY_MS : DAY_MS;
    const start = millisOf(master.start);
    const length = millisOf(master.end) - start;
    const allDay = master.start.date !== undefined;
    return Array.from({ length: count }, (_unused, i) => {
      const at = start + i * step;
      const time = (ms: number): EventTime =>
        allDay
          ? { date: new Date(ms).toISOString().slice(0, 10) }
          : { dateTime: noMillis(ms), ...(master.start.timeZone ? { timeZone: master.start.timeZone } : {}) };
      const suffix = allDay
        ? new Date(at).toISOString().slice(0, 10).replaceAll('-', '')
        : noMillis(at).replaceAll(/[-:]/g, '');
      const { recurrence: _, ...rest } = master;
      return {
        ...rest,
        id: `${master.id}_${suffix}`,
        start: time(at),
        end: time(at + length),
        recurringEventId: master.id,
        originalStartTime: time(at),
      };
    });
  };

  const matches = (e: GoogleEvent, q: URLSearchParams): boolean => {
    const timeMin = q.get('timeMin');
    const timeMax = q.get('timeMax');
    if (timeMin && !(millisOf(e.end) > Date.parse(timeMin))) return false;
    if (timeMax && !(millisOf(e.start) < Date.parse(timeMax))) return false;
    const text = q.get('q')?.toLowerCase();
    if (text) {
      const hay = [e.summary, e.description, e.location, ...(e.attendees ?? []).map((a) => a.email)]
        .join(' ')
        .toLowerCase();
      if (!hay.includes(text)) return false;
    }
    return true;
  };

  /** A deleted event as a sync answers it: its id, and for an instance, which one it was. */
  const tombstone = (e: GoogleEvent) => ({
    kind: e.kind,
    etag: e.etag,
    id: e.id,
    status: 'cancelled',
    ...(e.recurringEventId ? { recurringEventId: e.recurringEventId } : {}),
    ...(e.originalStartTime ? { originalStartTime: e.originalStartTime } : {}),
  });

  /** The rows a listing walks, each with its stable ordering key. */
  const rowsOf = (c: Calendar, q: URLSearchParams, since: number | undefined) => {
    const single = q.get('singleEvents') === 'true';
    const byStart = q.get('orderBy') === 'startTime';
    const showDeleted = since !== undefined || q.get('showDeleted') === 'true';
    const stored = [...c.events.values()];
    const rows: { key: Key; event: GoogleEvent }[] = [];
    for (const s of stored) {
      if (since !== undefined && s.changed <= since) continue;
      const e = s.event;
      if (single && e.recurrence) {
        if (e.status === 'cancelled' && !showDeleted) continue;
        // Instances, each replaced by its exception when there is one.
        instancesOf(e).forEach((instance, i) => {
          const exception = c.events.get(instance.id)?.event;
          if (exception) return; // listed as an event of its own below
          rows.push({ key: byStart ? [millisOf(instance.start), s.seq, i] : [s.seq, i], event: instance });
        });
        continue;
      }
      const cancelled = e.status === 'cancelled';
      // showDeleted=false still lists cancelled instances when singleEvents is false.
      if (cancelled && !showDeleted && !(e.recurringEventId && !single)) continue;
      rows.push({ key: byStart ? [millisOf(e.start), s.seq, 0] : [s.seq, 0], event: e });
    }
    return rows
      .filter((r) => since !== undefined || matches(r.event, q))
      .sort((a, b) => compareKeys(a.key, b.key));
  };

  const list = (req: FakeRequest, calendarId: string): FakeReply => {
    const c = calendarOf(calendarId);
    if (!c) return notFound();
    const q = req.query;
    listings.push({ calendarId: c.id, query: Object.fromEntries(q) });
    const maxResults = q.has('maxResults') ? Number(q.get('maxResults')) : 250;
    if (!Number.isInteger(maxResults) || maxResults < 1) {
      return badRequest(
        `Invalid value '${q.get('maxResults')}'. Values must be within the range: [1, 2500]`,
        'invalid',
      );
    }
    for (const p of ['timeMin', 'timeMax', 'updatedMin']) {
      const v = q.get(p);
      if (v !== null && !(hasOffset(v) && !Number.isNaN(Date.parse(v))))
        return badRequest('Bad Request', 'badRequest');
    }
    const syncToken = q.get('syncToken');
    let since: number | undefined;
    if (syncToken !== null) {
      const restricted = ['timeMin', 'timeMax', 'q', 'orderBy', 'updatedMin', 'iCalUID'].some((p) =>
        q.has(p),
      );
      if (restricted || q.get('showDeleted') === 'false') {
        return badRequest(
          'Sync token cannot be used with other request restrictions.',
          'syncTokenWithRequestRestrictions',
        );
      }
      const t = syncTokens.get(syncToken);
      if (!t || t.calendar !== c.id || t.generation !== c.generation) {
        return googleError(
          410,
          'Sync token is no longer valid, a full sync is required.',
          'fullSyncRequired',
          {
            status: 'GONE',
            extra: { locationType: 'parameter', location: 'syncToken' },
          },
        );
      }
      since = t.at;
    }
    if (q.get('orderBy') === 'startTime' && q.get('singleEvents') !== 'true') {
      return badRequest('The requested ordering is not available for the particular query.', 'badRequest');
    }
    const timeMin = q.get('timeMin');
    const timeMax = q.get('timeMax');
    if (timeMin && timeMax && Date.parse(timeMin) >= Date.parse(timeMax)) {
      return googleError(400, 'The specified time range is empty.', 'timeRangeEmpty', {
        domain: 'calendar',
        extra: { locationType: 'parameter', location: 'timeMax' },
      });
    }
    // What a page token continues: the calendar, the query, where it stopped, when it began.
    const query = [...q]
      .filter(([k]) => k !== 'pageToken' && k !== 'maxResults')
      .sort()
      .join('&');
    let after: Key = [];
    let at = clock;
    const pageToken = q.get('pageToken');
    if (pageToken !== null) {
      const p = pageTokens.get(pageToken);
      if (!p || p.calendar !== c.id || p.query !== query) return badRequest('Invalid Value', 'invalid');
      ({ after, at, since } = p);
    }
    const rows = rowsOf(c, q, since).filter((r) => compareKeys(r.key, after) > 0);
    const page = rows.slice(0, Math.min(maxResults, 2500));
    const more = rows.length > page.length;
    const last = page.at(-1);
    let nextPageToken: string | undefined;
    let nextSyncToken: string | undefined;
    if (more && last) {
      nextPageToken = `Cj${randomToken(40)}`;
      pageTokens.set(nextPageToken, { calendar: c.id, after: last.key, at, since, query });
    } else if (!q.has('q') && !q.has('orderBy')) {
      // For the state the listing began with: what changed while it ran comes next time.
      nextSyncToken = `CP${randomToken(22)}=`;
      syncTokens.set(nextSyncToken, { calendar: c.id, at, generation: c.generation });
    }
    return reply(200, {
      kind: 'calendar#events',
      etag: `"p${3_450_000_000_000_000 + clock}"`,
      summary: c.summary,
      description: '',
      updated: new Date().toISOString(),
      timeZone: c.timeZone,
      accessRole: 'owner',
      defaultReminders: [{ method: 'popup', minutes: 10 }],
      ...(nextPageToken ? { nextPageToken } : {}),
      ...(nextSyncToken ? { nextSyncToken } : {}),
      items: page.map((r) =>
        r.event.status === 'cancelled' && since !== undefined ? tombstone(r.event) : r.event,
      ),
    });
  };

  const insert = (req: FakeRequest, calendarId: string): FakeReply => {
    const c = calendarOf(calendarId);
    if (!c) return notFound();
    let body: {
      summary?: string;
      description?: string;
      location?: string;
      start?: EventTime;
      end?: EventTime;
      attendees?: { email?: string }[];
    };
    try {
      body = JSON.parse(req.body);
    } catch {
      return badRequest('Parse Error', 'parseError');
    }
    const sendUpdates = req.query.get('sendUpdates');
    if (sendUpdates !== null && !['all', 'externalOnly', 'none'].includes(sendUpdates)) {
      return badRequest(`Invalid value for: ${sendUpdates} is not a valid value`, 'invalidParameter');
    }
    for (const [name, t] of [
      ['start', body.start],
      ['end', body.end],
    ] as const) {
      if (!t || (!t.date && !t.dateTime)) return badRequest(`Missing ${name} time.`, 'required');
      if (t.timeZone !== undefined && !timeZones.has(t.timeZone)) {
        return badRequest(`Invalid time zone definition for ${name} time.`, 'invalid');
      }
      if (t.dateTime && !hasOffset(t.dateTime) && !t.timeZone) {
        return badRequest(`Missing time zone definition for ${name} time.`, 'required');
      }
      if ((t.date && !isDay(t.date)) || (t.dateTime && Number.isNaN(Date.parse(t.dateTime)))) {
        return badRequest('Bad Request', 'badRequest');
      }
    }
    const start = body.start as EventTime;
    const end = body.end as EventTime;
    if (Boolean(start.date) !== Boolean(end.date)) {
      return badRequest('Start and end times must either both be date or both be dateTime.', 'invalid');
    }
    if (millisOf(end) <= millisOf(start)) {
      return googleError(400, 'The specified time range is empty.', 'timeRangeEmpty', { domain: 'calendar' });
    }
    if ((body.attendees ?? []).some((a) => !a.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a.email))) {
      return badRequest('Invalid attendee email.', 'invalid');
    }
    inserts.push({ calendarId: c.id, sendUpdates, body });
    const event = create(c, {
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.location !== undefined ? { location: body.location } : {}),
      start,
      end,
      ...(body.attendees
        ? {
            attendees: body.attendees.map((a) => ({
              email: a.email as string,
              responseStatus: 'needsAction',
            })),
          }
        : {}),
    });
    return reply(200, event);
  };

  /** Routes `/calendar/v3/calendars/{calendarId}/events` (method and path already authorized). */
  const handle = (req: FakeRequest, calendarId: string): FakeReply | undefined => {
    if (req.method === 'GET') return list(req, calendarId);
    if (req.method === 'POST') return insert(req, calendarId);
    return undefined;
  };

  const startsAt = Date.parse('2025-03-03T08:00:00Z');
  let seeded = 0;

  return {
    handle,
    inserts,
    listings,
    addCalendar,
    /**
     * `n` events an hour apart: every 7th all-day, every 5th tentative, every 3rd with two
     * attendees (one declined); returns their ids in creation order.
     */
    seedEvents: (n: number, o: { calendarId?: string } = {}): string[] => {
      const c = mustCalendar(o.calendarId ?? user.email);
      return Array.from({ length: n }, () => {
        const i = seeded++;
        const at = startsAt + i * 3_600_000;
        const allDay = i % 7 === 6;
        const day = new Date(at).toISOString().slice(0, 10);
        return create(c, {
          summary: `Event ${i + 1}`,
          ...(i % 2 === 0 ? { description: `Agenda for event ${i + 1}` } : {}),
          ...(i % 4 === 0 ? { location: 'Room 4.12' } : {}),
          status: i % 5 === 4 ? 'tentative' : 'confirmed',
          start: allDay ? { date: day } : { dateTime: noMillis(at), timeZone: c.timeZone },
          end: allDay
            ? { date: new Date(at + DAY_MS).toISOString().slice(0, 10) }
            : { dateTime: noMillis(at + 1_800_000), timeZone: c.timeZone },
          ...(i % 3 === 0
            ? {
                attendees: [
                  { email: 'jonas@acme.com', responseStatus: 'accepted' },
                  { email: 'lea@partner.io', responseStatus: 'declined' },
                ],
              }
            : {}),
        }).id;
      });
    },
    /** One event with these fields; returns its id. */
    addEvent: (fields: EventFields & { calendarId?: string } = {}): string => {
      const { calendarId, ...rest } = fields;
      return create(mustCalendar(calendarId ?? user.email), rest).id;
    },
    updateEvent: (calendarId: string, id: string, fields: EventFields) => {
      const c = mustCalendar(calendarId);
      const s = c.events.get(id);
      if (!s) throw new Error(`no event ${id} in ${calendarId}`);
      put(
        c,
        { ...s.event, ...fields, updated: new Date().toISOString(), sequence: s.event.sequence + 1 },
        s.seq,
      );
    },
    /** Deletes an event: it stays as a cancelled tombstone, which syncs report. */
    deleteEvent: (calendarId: string, id: string) => {
      const c = mustCalendar(calendarId);
      const s = c.events.get(id);
      if (!s) throw new Error(`no event ${id} in ${calendarId}`);
      put(c, { ...s.event, status: 'cancelled', updated: new Date().toISOString() }, s.seq);
    },
    /** Cancels occurrence `index` of a recurring event: an exception with status cancelled. */
    cancelOccurrence: (calendarId: string, masterId: string, index: number): string => {
      const c = mustCalendar(calendarId);
      const master = c.events.get(masterId)?.event;
      const instance = master ? instancesOf(master)[index] : undefined;
      if (!instance) throw new Error(`no occurrence ${index} of ${masterId}`);
      const { recurrence: _, ...rest } = instance;
      put(c, { ...rest, status: 'cancelled', updated: new Date().toISOString() });
      return instance.id;
    },
    /** Google drops the sync tokens of a calendar (or all): their next use is 410 GONE. */
    invalidateSyncTokens: (calendarId?: string) => {
      for (const c of calendars.values()) if (!calendarId || calendarOf(calendarId) === c) c.generation++;
    },
    /** The events of a calendar that are not deleted, as Google stores them. */
    liveEvents: (calendarId: string): GoogleEvent[] =>
      [...mustCalendar(calendarId).events.values()]
        .map((s) => s.event)
        .filter((e) => e.status !== 'cancelled'),
  };
};

export type EventStore = ReturnType<typeof startEventStore>;
