import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarEvent } from '../../../adapters/models';
import { type GoogleCalendarFake, startGoogleCalendarFake } from '../../fakes/google-calendar';
import { type ActionCall, runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

const P = 'google_calendar';
const PRIMARY = 'mia@acme.com';
const TEAM = 'c_team4f2a@group.calendar.google.com';

let g: GoogleCalendarFake;
let call: ActionCall;
beforeAll(async () => {
  g = await startGoogleCalendarFake();
  g.events.addCalendar(TEAM, 'Team');
  call = { credentials: g.valid, baseUrl: g.apiBaseUrl };
});
afterAll(() => g.stop());

type Listed = { events: ({ id: string } & Record<string, unknown>)[]; next_cursor: string | null };
const list = async (input: Record<string, unknown>) =>
  (await runAction(P, 'list_events', call, input)) as Listed;
const expectEvent = (e: Record<string, unknown>) => {
  const { id, ...data } = e;
  expect(id).toMatch(/^gcal_event_/);
  expect(calendarEvent.safeParse(data).success, JSON.stringify(data)).toBe(true);
};

describe('google_calendar create_event', () => {
  it('creates a timed event with attendees in primary; Google answers the event, mapped', async () => {
    const data = await runAction(P, 'create_event', call, {
      summary: 'Quarterly planning',
      description: 'Roadmap and hiring',
      location: 'Room 4.12',
      start: '2025-04-10T14:00:00+02:00',
      end: '2025-04-10T15:30:00+02:00',
      time_zone: 'Europe/Berlin',
      attendees: ['jonas@acme.com', 'lea@partner.io'],
      send_updates: 'all',
    });
    const created = g.events.liveEvents(PRIMARY).find((e) => e.summary === 'Quarterly planning');
    expect(created).toBeDefined();
    expect(g.events.inserts.at(-1)).toEqual({
      calendarId: PRIMARY,
      sendUpdates: 'all',
      body: {
        summary: 'Quarterly planning',
        description: 'Roadmap and hiring',
        location: 'Room 4.12',
        start: { dateTime: '2025-04-10T14:00:00+02:00', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2025-04-10T15:30:00+02:00', timeZone: 'Europe/Berlin' },
        attendees: [{ email: 'jonas@acme.com' }, { email: 'lea@partner.io' }],
      },
    });
    expect(data).toEqual({
      event: {
        id: `gcal_event_primary_${created?.id}`,
        title: 'Quarterly planning',
        description: 'Roadmap and hiring',
        status: 'confirmed',
        start: '2025-04-10T14:00:00+02:00',
        end: '2025-04-10T15:30:00+02:00',
        all_day: false,
        location: 'Room 4.12',
        organizer: PRIMARY,
        attendees: [
          { email: 'jonas@acme.com', response_status: 'needsAction' },
          { email: 'lea@partner.io', response_status: 'needsAction' },
        ],
        url: created?.htmlLink,
        calendar: 'primary',
        created_at: created?.created,
        updated_at: created?.updated,
      },
    });
  });

  it('creates an all-day event in another calendar from dates, without sendUpdates by default', async () => {
    const data = (await runAction(P, 'create_event', call, {
      calendar_id: TEAM,
      summary: 'Offsite',
      start: '2025-05-05',
      end: '2025-05-07',
    })) as { event: Record<string, unknown> };
    expect(g.events.inserts.at(-1)).toEqual({
      calendarId: TEAM,
      sendUpdates: null,
      body: { summary: 'Offsite', start: { date: '2025-05-05' }, end: { date: '2025-05-07' } },
    });
    expectEvent(data.event);
    expect(data.event).toMatchObject({
      all_day: true,
      start: '2025-05-05',
      end: '2025-05-07',
      calendar: TEAM,
      organizer: TEAM,
      attendees: [],
    });
    expect(g.events.liveEvents(TEAM).map((e) => e.summary)).toEqual(['Offsite']);
  });

  it("Google's refusals are rejected with its message; nothing is created", async () => {
    const count = g.events.inserts.length;
    await expectProviderError(
      runAction(P, 'create_event', call, {
        summary: 'Backwards',
        start: '2025-04-10T15:00:00+02:00',
        end: '2025-04-10T14:00:00+02:00',
      }),
      'rejected',
      { message: 'The specified time range is empty.', status: 400 },
    );
    await expectProviderError(
      runAction(P, 'create_event', call, {
        summary: 'Nowhere',
        start: '2025-04-10T14:00:00Z',
        end: '2025-04-10T15:00:00Z',
        time_zone: 'Mars/Olympus_Mons',
      }),
      'rejected',
      { message: 'Invalid time zone definition for start time.', status: 400 },
    );
    await expectProviderError(
      runAction(P, 'create_event', call, {
        calendar_id: 'nobody@acme.com',
        summary: 'Lost',
        start: '2025-04-10T14:00:00Z',
        end: '2025-04-10T15:00:00Z',
      }),
      'rejected',
      { message: 'Not Found', status: 404 },
    );
    expect(g.events.inserts.length).toBe(count);
  });

  it('a read-only grant is refused by Google with its words', async () => {
    const readonly = g.tokenWithScopes(['https://www.googleapis.com/auth/calendar.readonly']);
    await expectProviderError(
      runAction(
        P,
        'create_event',
        { ...call, credentials: readonly },
        {
          summary: 'x',
          start: '2025-04-10T14:00:00Z',
          end: '2025-04-10T15:00:00Z',
        },
      ),
      'rejected',
      { message: 'Request had insufficient authentication scopes.', status: 403 },
    );
  });

  it('refuses input mixing a day and a date-time before calling Google', async () => {
    const before = g.requests.length;
    await expect(
      runAction(P, 'create_event', call, { summary: 'x', start: '2025-04-10', end: '2025-04-10T15:00:00Z' }),
    ).rejects.toThrow(/both be dates/);
    await expect(
      runAction(P, 'create_event', call, {
        summary: 'x',
        start: '2025-04-10T14:00:00',
        end: '2025-04-10T15:00:00',
      }),
    ).rejects.toThrow(/input refused/);
    expect(g.requests.length).toBe(before);
  });
});

describe('google_calendar list_events', () => {
  let day: string[];
  let standup: string;
  beforeAll(() => {
    // 30 hourly events from 2025-03-03T08:00Z (every 7th all day), and a daily standup.
    day = g.events.seedEvents(30);
    standup = g.events.addEvent({
      summary: 'Standup',
      start: { dateTime: '2025-03-03T09:30:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2025-03-03T09:45:00+01:00', timeZone: 'Europe/Berlin' },
      recurrence: ['RRULE:FREQ=DAILY;COUNT=3'],
    });
  });

  it('lists a time range soonest first, occurrences of recurring events expanded', async () => {
    const page = await list({ time_min: '2025-03-03T08:00:00Z', time_max: '2025-03-03T12:00:00Z' });
    for (const e of page.events) expectEvent(e);
    // The day's all-day events (7 and 14) overlap the range too, and start first.
    expect(page.events.map((e) => [e.title, e.start])).toEqual([
      ['Event 7', '2025-03-03'],
      ['Event 14', '2025-03-03'],
      ['Event 1', '2025-03-03T08:00:00Z'],
      ['Standup', '2025-03-03T08:30:00Z'],
      ['Event 2', '2025-03-03T09:00:00Z'],
      ['Event 3', '2025-03-03T10:00:00Z'],
      ['Event 4', '2025-03-03T11:00:00Z'],
    ]);
    expect(page.events[3]?.id).toBe(`gcal_event_primary_${standup}_20250303T083000Z`);
    expect(page.next_cursor).toBeNull();
    expect(g.events.listings.at(-1)?.query).toEqual({
      singleEvents: 'true',
      orderBy: 'startTime',
      maxResults: '50',
      timeMin: '2025-03-03T08:00:00Z',
      timeMax: '2025-03-03T12:00:00Z',
    });
  });

  it('pages with the cursor until next_cursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Listed = await list({
        time_min: '2025-03-03T00:00:00Z',
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(34);
    expect(new Set(seen).size).toBe(34);
    expect(seen.filter((id) => id.startsWith(`gcal_event_primary_${day[0]}`))).toHaveLength(1);
  });

  it("searches with q; an empty range is rejected with Google's words", async () => {
    const found = await list({ q: 'standup', time_min: '2025-03-04T00:00:00Z' });
    expect(found.events.map((e) => e.start)).toEqual(['2025-03-04T08:30:00Z', '2025-03-05T08:30:00Z']);
    await expectProviderError(
      list({ time_min: '2025-03-04T00:00:00Z', time_max: '2025-03-03T00:00:00Z' }),
      'rejected',
      { message: 'The specified time range is empty.', status: 400 },
    );
  });

  it('rate limits → rate_limited (a minute unless Google says), 5xx → unreachable, 401 → rejected', async () => {
    g.failNext('rate_limit');
    const limited = await expectProviderError(list({}), 'rate_limited', {
      message: 'Rate Limit Exceeded',
      status: 403,
    });
    expect(limited.retryAfterSeconds).toBe(60);
    g.failNext('user_rate_limit', { retryAfterSeconds: 5 });
    expect((await expectProviderError(list({}), 'rate_limited')).retryAfterSeconds).toBe(5);
    g.failNext('too_many_requests');
    expect((await expectProviderError(list({}), 'rate_limited', { status: 429 })).retryAfterSeconds).toBe(60);
    g.failNext('down');
    await expectProviderError(list({}), 'unreachable', { status: 500 });
    g.failNext('refuse');
    await expectProviderError(list({}), 'rejected', { message: 'Not Found', status: 404 });
    const dead = { type: 'oauth2' as const, access_token: 'ya29.revoked' };
    await expectProviderError(runAction(P, 'list_events', { ...call, credentials: dead }, {}), 'rejected', {
      status: 401,
      secrets: [dead.access_token],
    });
    // And the next call goes through again.
    expect((await list({ time_min: '2025-03-03T08:00:00Z', limit: 1 })).events).toHaveLength(1);
  });
});
