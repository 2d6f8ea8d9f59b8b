import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter, type SyncPage, type SyncRecord } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../../fakes/google-calendar';
import { expectValid, idsOf, stored } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

const P = 'google_calendar';
const PRIMARY = 'mia@acme.com';
const TEAM = 'c_team4f2a@group.calendar.google.com';
const ids = (calendarId: string, eventIds: string[]) =>
  eventIds.map((id) => `gcal_event_${calendarId}_${id}`).sort();

type Run = {
  records: SyncRecord[];
  deletedIds: string[];
  pages: SyncPage[];
  cursor: unknown;
  /** The index of the page that said `resync`, if one did. */
  resyncAt: number | undefined;
};

/**
 * Pages to the end as the engine asks for them: checkpoints and the cursor through JSON, the
 * cursor only in incremental mode, and from a `resync` page on in full mode without it.
 */
const runEvents = async (
  g: GoogleCalendarFake,
  o: {
    mode?: 'full' | 'incremental';
    cursor?: unknown;
    config?: Record<string, unknown>;
    checkpoint?: unknown;
    maxPages?: number;
    afterPage?: (n: number) => void;
    credentials?: Credentials;
  } = {},
): Promise<Run> => {
  const sync = (await loadAdapter(P))?.syncs?.events;
  if (!sync) throw new Error('no events sync');
  const run: Run = { records: [], deletedIds: [], pages: [], cursor: undefined, resyncAt: undefined };
  let full = o.mode !== 'incremental';
  const cursor = stored(o.cursor);
  let checkpoint = stored(o.checkpoint);
  for (;;) {
    if (o.maxPages !== undefined && run.pages.length >= o.maxPages) return { ...run, cursor: checkpoint };
    const page = await sync.fetchPage({
      credentials: o.credentials ?? g.valid,
      baseUrl: g.apiBaseUrl,
      config: o.config ?? {},
      metadata: {},
      http: providerHttp,
      mode: full ? 'full' : 'incremental',
      ...(checkpoint !== undefined ? { checkpoint } : {}),
      ...(!full && cursor !== undefined ? { cursor } : {}),
    });
    if (page.resync) {
      full = true;
      run.resyncAt ??= run.pages.length;
    }
    run.pages.push(page);
    run.records.push(...page.records);
    run.deletedIds.push(...(page.deletedIds ?? []));
    o.afterPage?.(run.pages.length);
    if (page.next === undefined) return { ...run, cursor: stored(page.cursor) };
    expect(page.cursor).toBeUndefined();
    checkpoint = stored(page.next);
  }
};

const both = { calendars: ['primary', TEAM] };

describe('google_calendar events: a full run', () => {
  let g: GoogleCalendarFake;
  let primary: string[];
  let team: string[];
  beforeAll(async () => {
    g = await startGoogleCalendarFake();
    g.events.addCalendar(TEAM, 'Team');
    primary = g.events.seedEvents(600);
    team = g.events.seedEvents(30, { calendarId: TEAM });
  });
  afterAll(() => g.stop());

  it('reads every event of every configured calendar exactly once, 250 a page', async () => {
    const before = g.events.listings.length;
    const run = await runEvents(g, { config: both });
    expectValid(run.records, 'calendar_event');
    expect(idsOf(run.records)).toEqual([...ids('primary', primary), ...ids(TEAM, team)].sort());
    expect(run.deletedIds).toEqual([]);
    expect(run.pages.map((p) => p.records.length)).toEqual([250, 250, 100, 30]);
    expect(run.resyncAt).toBeUndefined();
    const asked = g.events.listings.slice(before);
    expect(asked.map((l) => l.calendarId)).toEqual([PRIMARY, PRIMARY, PRIMARY, TEAM]);
    expect(asked[0]?.query).toEqual({ maxResults: '250', singleEvents: 'false', showDeleted: 'false' });
    expect(asked[1]?.query.pageToken).toBeTruthy();
    // The last page's cursor: one sync token a calendar, plain JSON.
    expect(run.cursor).toEqual({ primary: expect.any(String), [TEAM]: expect.any(String) });
  });

  it('maps an event to calendar_event: times, all-day, status, attendees, organizer, links', async () => {
    const run = await runEvents(g, { config: both });
    const byId = new Map(run.records.map((r) => [r.id, r.data]));
    const first = g.events.liveEvents(PRIMARY)[0];
    expect(byId.get(`gcal_event_primary_${primary[0]}`)).toEqual({
      title: 'Event 1',
      description: 'Agenda for event 1',
      status: 'confirmed',
      start: '2025-03-03T08:00:00Z',
      end: '2025-03-03T08:30:00Z',
      all_day: false,
      location: 'Room 4.12',
      organizer: PRIMARY,
      attendees: [
        { email: 'jonas@acme.com', response_status: 'accepted' },
        { email: 'lea@partner.io', response_status: 'declined' },
      ],
      url: first?.htmlLink,
      calendar: 'primary',
      created_at: first?.created,
      updated_at: first?.updated,
    });
    // Event 5 is tentative; event 7 is all day (dates, end exclusive).
    expect(byId.get(`gcal_event_primary_${primary[4]}`)).toMatchObject({
      status: 'tentative',
      attendees: [],
    });
    expect(byId.get(`gcal_event_primary_${primary[6]}`)).toMatchObject({
      all_day: true,
      start: '2025-03-03',
      end: '2025-03-04',
      description: 'Agenda for event 7',
      location: null,
    });
    expect(byId.get(`gcal_event_${TEAM}_${team[0]}`)).toMatchObject({ calendar: TEAM, organizer: TEAM });
  });

  it('reads primary when no calendar is configured', async () => {
    const run = await runEvents(g);
    expect(idsOf(run.records)).toEqual(ids('primary', primary));
    expect(run.cursor).toEqual({ primary: expect.any(String) });
  });

  it('resumes from a stored checkpoint; an event edited or created mid-run is not skipped', async () => {
    const firstTwo = await runEvents(g, { config: both, maxPages: 2 });
    expect(firstTwo.records).toHaveLength(500);
    // Edited while the run is under way (it was on page 1), and one created meanwhile.
    g.events.updateEvent(PRIMARY, primary[3] as string, { summary: 'Moved' });
    const late = g.events.addEvent({ summary: 'Late' });
    const rest = await runEvents(g, { config: both, checkpoint: firstTwo.cursor });
    const all = [...firstTwo.records, ...rest.records];
    expect(idsOf(all)).toEqual([...ids('primary', [...primary, late]), ...ids(TEAM, team)].sort());
    // The sync token dates from the start of the listing: the next run sees both changes again.
    const next = await runEvents(g, { mode: 'incremental', config: both, cursor: rest.cursor });
    expect(idsOf(next.records)).toEqual(ids('primary', [primary[3] as string, late]));
    g.events.deleteEvent(PRIMARY, late);
  });
});

describe('google_calendar events: incremental runs with sync tokens', () => {
  let g: GoogleCalendarFake;
  let primary: string[];
  let team: string[];
  let cursor: unknown;
  beforeEach(async () => {
    g = await startGoogleCalendarFake();
    g.events.addCalendar(TEAM, 'Team');
    primary = g.events.seedEvents(300);
    team = g.events.seedEvents(20, { calendarId: TEAM });
    cursor = (await runEvents(g, { config: both })).cursor;
    return () => g.stop();
  });

  it('returns exactly the changes: edits and new events as records, deletions as deletedIds', async () => {
    const [a, b, gone] = primary as [string, string, string];
    g.events.updateEvent(PRIMARY, a, { summary: 'Renamed', status: 'tentative' });
    g.events.updateEvent(PRIMARY, b, {
      attendees: [{ email: 'new@acme.com', responseStatus: 'needsAction' }],
    });
    g.events.deleteEvent(PRIMARY, gone);
    const created = g.events.addEvent({ calendarId: TEAM, summary: 'Retro' });
    const teamGone = team[5] as string;
    g.events.deleteEvent(TEAM, teamGone);

    const before = g.events.listings.length;
    const run = await runEvents(g, { mode: 'incremental', config: both, cursor });
    expectValid(run.records, 'calendar_event');
    expect(idsOf(run.records)).toEqual([...ids('primary', [a, b]), ...ids(TEAM, [created])].sort());
    expect(run.deletedIds.sort()).toEqual([...ids('primary', [gone]), ...ids(TEAM, [teamGone])].sort());
    expect(run.resyncAt).toBeUndefined();
    const byId = new Map(run.records.map((r) => [r.id, r.data]));
    expect(byId.get(`gcal_event_primary_${a}`)).toMatchObject({ title: 'Renamed', status: 'tentative' });
    // Asked with each calendar's token, and without showDeleted=false (Google refuses it then).
    const asked = g.events.listings.slice(before);
    const tokens = cursor as Record<string, string>;
    expect(asked.map((l) => [l.calendarId, l.query.syncToken])).toEqual([
      [PRIMARY, tokens.primary],
      [TEAM, tokens[TEAM]],
    ]);
    expect(asked[0]?.query).toEqual({ maxResults: '250', singleEvents: 'false', syncToken: tokens.primary });

    // Nothing changed since: an empty run, with fresh tokens.
    expect(run.cursor).not.toEqual(cursor);
    const quiet = await runEvents(g, { mode: 'incremental', config: both, cursor: run.cursor });
    expect(quiet.records).toEqual([]);
    expect(quiet.deletedIds).toEqual([]);
  });

  it('pages through many changes with the token on every page', async () => {
    for (const id of primary.slice(0, 260)) g.events.updateEvent(PRIMARY, id, { location: 'Room 1' });
    const before = g.events.listings.length;
    const run = await runEvents(g, { mode: 'incremental', config: both, cursor });
    expect(idsOf(run.records)).toEqual(ids('primary', primary.slice(0, 260)));
    const asked = g.events.listings.slice(before);
    expect(asked).toHaveLength(3);
    expect(asked[1]?.query).toMatchObject({ syncToken: (cursor as Record<string, string>).primary });
    expect(asked[1]?.query.pageToken).toBeTruthy();
  });

  it('a full run with a cursor at hand still lists everything and renews the tokens', async () => {
    g.events.deleteEvent(PRIMARY, primary[0] as string);
    const run = await runEvents(g, { mode: 'full', config: both, cursor });
    expect(run.records).toHaveLength(299 + 20);
    expect(run.deletedIds).toEqual([]);
    expect(g.events.listings.at(-1)?.query.syncToken).toBeUndefined();
  });

  it('the cursor round-trips through JSON and is what the next run starts from', () => {
    expect(JSON.parse(JSON.stringify(cursor))).toEqual(cursor);
    expect(Object.keys(cursor as object).sort()).toEqual(['primary', TEAM].sort());
    for (const token of Object.values(cursor as object)) expect(typeof token).toBe('string');
  });

  it('410 GONE on a calendar: starts over as a full listing of every calendar, marked resync', async () => {
    const changed = primary[1] as string;
    g.events.updateEvent(PRIMARY, changed, { summary: 'Changed' });
    const gone = team[2] as string;
    g.events.deleteEvent(TEAM, gone);
    g.events.invalidateSyncTokens(TEAM);

    const run = await runEvents(g, { mode: 'incremental', config: both, cursor });
    // Page 1: primary's changes with its token; then TEAM's token is refused and the run
    // starts over from primary, in full, on the page that says resync.
    expect(run.pages[0]?.records.map((r) => r.id)).toEqual(ids('primary', [changed]));
    expect(run.resyncAt).toBe(1);
    expect(run.pages[1]?.records).toHaveLength(250);
    const afterResync = run.pages.slice(1).flatMap((p) => p.records);
    expectValid(afterResync, 'calendar_event');
    expect(idsOf(afterResync)).toEqual(
      [
        ...ids('primary', primary),
        ...ids(
          TEAM,
          team.filter((t) => t !== gone),
        ),
      ].sort(),
    );
    const tail = g.events.listings.slice(-5);
    expect(tail.map((l) => [l.calendarId, l.query.syncToken !== undefined])).toEqual([
      [PRIMARY, true],
      [TEAM, true],
      [PRIMARY, false],
      [PRIMARY, false],
      [TEAM, false],
    ]);
    expect(tail[1]?.query.pageToken).toBeUndefined();
    // The new cursor works again.
    g.events.deleteEvent(PRIMARY, changed);
    const next = await runEvents(g, { mode: 'incremental', config: both, cursor: run.cursor });
    expect(next.resyncAt).toBeUndefined();
    expect(next.records).toEqual([]);
    expect(next.deletedIds).toEqual(ids('primary', [changed]));
  });

  it('410 GONE in the middle of a token listing: resync from the first calendar', async () => {
    for (const id of primary.slice(0, 260)) g.events.updateEvent(PRIMARY, id, { location: 'Room 2' });
    const run = await runEvents(g, {
      mode: 'incremental',
      config: both,
      cursor,
      afterPage: (n) => {
        if (n === 1) g.events.invalidateSyncTokens();
      },
    });
    expect(run.resyncAt).toBe(1);
    expect(run.pages[1]?.resync).toBe(true);
    expect(run.pages.slice(2).every((p) => p.resync === undefined)).toBe(true);
    expect(idsOf(run.pages.slice(1).flatMap((p) => p.records))).toEqual(
      [...ids('primary', primary), ...ids(TEAM, team)].sort(),
    );
  });

  it('an unusable cursor (none, not JSON of tokens, other calendars) makes a resync full run', async () => {
    for (const bad of [
      undefined,
      'token',
      { primary: 'x' },
      { ...(cursor as object), 'old@acme.com': 'x' },
    ]) {
      const before = g.events.listings.length;
      const run = await runEvents(g, { mode: 'incremental', config: both, cursor: bad });
      expect(run.resyncAt).toBe(0);
      expect(run.records).toHaveLength(320);
      expect(g.events.listings.slice(before).every((l) => l.query.syncToken === undefined)).toBe(true);
    }
  });
});

describe('google_calendar events: recurring events', () => {
  let g: GoogleCalendarFake;
  beforeAll(async () => {
    g = await startGoogleCalendarFake();
  });
  afterAll(() => g.stop());

  it('a series is one record; a cancelled occurrence is a deletion, never a record', async () => {
    const standup = g.events.addEvent({
      summary: 'Standup',
      start: { dateTime: '2025-03-03T09:30:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2025-03-03T09:45:00+01:00', timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=5'],
    });
    const first = await runEvents(g);
    expect(idsOf(first.records)).toEqual(ids('primary', [standup]));
    expect(first.records[0]?.data).toMatchObject({ start: '2025-03-03T09:30:00+01:00', all_day: false });

    const skipped = g.events.cancelOccurrence(PRIMARY, standup, 2);
    expect(skipped).toBe(`${standup}_20250305T083000Z`);
    const next = await runEvents(g, { mode: 'incremental', cursor: first.cursor });
    expect(next.records).toEqual([]);
    expect(next.deletedIds).toEqual(ids('primary', [skipped]));
    // A full listing returns the cancelled occurrence too (showDeleted=false notwithstanding).
    const full = await runEvents(g);
    expect(idsOf(full.records)).toEqual(ids('primary', [standup]));
    expect(full.deletedIds).toEqual(ids('primary', [skipped]));
  });
});

describe('google_calendar events: refusals and limits', () => {
  let g: GoogleCalendarFake;
  beforeAll(async () => {
    g = await startGoogleCalendarFake();
    g.events.seedEvents(3);
  });
  afterAll(() => g.stop());

  it("Google's 403 rate limits wait a minute (it sends no Retry-After), or what Retry-After says", async () => {
    g.failNext('rate_limit');
    await expectProviderError(runEvents(g), 'rate_limited', {
      message: 'Rate Limit Exceeded',
      status: 403,
    }).then((e) => expect(e.retryAfterSeconds).toBe(60));
    g.failNext('user_rate_limit');
    const user = await expectProviderError(runEvents(g), 'rate_limited', {
      message: 'User Rate Limit Exceeded',
    });
    expect(user.retryAfterSeconds).toBe(60);
    g.failNext('rate_limit', { retryAfterSeconds: 17 });
    expect((await expectProviderError(runEvents(g), 'rate_limited')).retryAfterSeconds).toBe(17);
    g.failNext('too_many_requests');
    const many = await expectProviderError(runEvents(g), 'rate_limited', { status: 429 });
    expect(many.retryAfterSeconds).toBe(60);
  });

  it("5xx is unreachable; an unknown calendar is rejected with Google's words; a dead token is 401", async () => {
    g.failNext('down');
    await expectProviderError(runEvents(g), 'unreachable', { status: 500 });
    await expectProviderError(runEvents(g, { config: { calendars: ['nobody@acme.com'] } }), 'rejected', {
      message: 'Not Found',
      status: 404,
    });
    const dead = { type: 'oauth2' as const, access_token: 'ya29.expired' };
    await expectProviderError(runEvents(g, { credentials: dead }), 'rejected', {
      message: /^Request had invalid authentication credentials\./,
      status: 401,
      secrets: [dead.access_token],
    });
  });
});
