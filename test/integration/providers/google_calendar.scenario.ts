import { expect } from 'vitest';
import { startGoogleCalendarFake } from '../../fakes/google-calendar';
import type { ProviderScenario } from './scenario';

const TEAM = 'c_team4f2a@group.calendar.google.com';
const PRIMARY_EVENTS = 260; // two pages of 250
const TEAM_EVENTS = 5;

/**
 * Google Calendar through the API: an integration whose endpoints point at the fake (the
 * Calendar API under `/calendar/v3`, Google's OAuth endpoints beside it), a connection with
 * an access token the fake issued, the `events` sync over primary and a team calendar, and
 * both actions. Rate limits are Google's 403 rateLimitExceeded.
 */
const scenario: ProviderScenario = {
  provider: 'google_calendar',
  start: async () => {
    const g = await startGoogleCalendarFake();
    g.events.addCalendar(TEAM, 'Team');
    g.events.seedEvents(PRIMARY_EVENTS);
    g.events.seedEvents(TEAM_EVENTS, { calendarId: TEAM });
    return {
      stop: () => g.stop(),
      integration: {
        provider: 'google_calendar',
        oauth_client_id: g.oauthClient.clientId,
        oauth_client_secret: g.oauthClient.clientSecret,
        endpoints: {
          api_base_url: g.apiBaseUrl,
          authorization_url: g.authorizationUrl,
          token_url: g.tokenUrl,
        },
      },
      connection: {
        credentials: { ...g.valid },
        config: { calendars: ['primary', TEAM] },
      },
      syncs: { events: { model: 'calendar_event', count: PRIMARY_EVENTS + TEAM_EVENTS } },
      actions: {
        list_events: {
          // Seeded events are hourly from 2025-03-03T08:00Z; 08:00–12:00 holds four, and
          // two all-day events of that day.
          input: { time_min: '2025-03-03T08:00:00Z', time_max: '2025-03-03T12:00:00Z' },
          check: (data) => {
            expect(data.events.map((e: { title: string }) => e.title)).toEqual([
              'Event 7',
              'Event 14',
              'Event 1',
              'Event 2',
              'Event 3',
              'Event 4',
            ]);
            expect(data.next_cursor).toBeNull();
          },
        },
        create_event: {
          input: {
            summary: 'Design review',
            start: '2025-04-10T14:00:00+02:00',
            end: '2025-04-10T15:00:00+02:00',
            time_zone: 'Europe/Berlin',
            attendees: ['jonas@acme.com'],
          },
          check: (data) => {
            const made = g.events.liveEvents('primary').find((e) => e.summary === 'Design review');
            expect(made?.attendees).toEqual([{ email: 'jonas@acme.com', responseStatus: 'needsAction' }]);
            expect(data.event).toMatchObject({
              id: `gcal_event_primary_${made?.id}`,
              title: 'Design review',
              start: '2025-04-10T14:00:00+02:00',
              calendar: 'primary',
            });
          },
        },
      },
      probe: 'list_events',
      failNext: (kind, retryAfterSeconds) =>
        g.failNext(kind, retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
      refusalMessage: 'Not Found',
    };
  },
};

export default scenario;
