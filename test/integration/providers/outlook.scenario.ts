import { expect } from 'vitest';
import { startOutlookFake } from '../../fakes/outlook';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

const EVENTS = 73; // two delta pages of 50
const INBOX = 57;

/**
 * Outlook against its Graph fake: a connection with an access token Graph accepts, a
 * default calendar with 73 events in the synced range (and two outside it), an Inbox of 57
 * messages (and an archive the sync leaves alone), all three actions. Refusals are Graph's
 * 403 ErrorAccessDenied, outages its 500 generalException, rate limits 429 with Retry-After.
 */
const scenario: ProviderScenario = {
  provider: 'outlook',
  start: async () => {
    const o = await startOutlookFake();
    o.seedEvents(EVENTS);
    o.addEvent({ start: new Date(Date.now() + 500 * 86_400_000).toISOString() });
    o.addEvent({ start: new Date(Date.now() - 200 * 86_400_000).toISOString() });
    o.seedMessages(INBOX);
    o.seedMessages(3, { folder: 'archive' });
    for (const [h, subject] of [
      ['10', 'Retro'],
      ['08', 'Standup'],
    ] as const) {
      o.addEvent({ subject, start: `2027-03-01T${h}:00:00.000Z` });
    }

    return {
      stop: () => o.stop(),
      integration: { provider: 'outlook', endpoints: { api_base_url: o.apiBaseUrl } },
      connection: { credentials: o.valid as Record<string, unknown> },
      syncs: {
        // The seeded events and the two on 2027-03-01; not the ones out of range.
        calendar_events: { model: 'calendar_event', count: EVENTS + 2 },
        messages: { model: 'message', count: INBOX },
      },
      actions: {
        list_events: {
          input: { start: '2027-03-01T00:00:00Z', end: '2027-03-02T00:00:00Z' },
          check: (data: Json) => {
            expect(data.events.map((e: Json) => [e.title, e.start])).toEqual([
              ['Standup', '2027-03-01T08:00:00.000Z'],
              ['Retro', '2027-03-01T10:00:00.000Z'],
            ]);
            expect(data.next_cursor).toBeNull();
          },
        },
        create_event: {
          input: {
            subject: 'Design review',
            start: '2027-04-10T14:00:00+02:00',
            end: '2027-04-10T15:00:00+02:00',
            time_zone: 'Europe/Berlin',
            attendees: ['jonas@acme.com'],
          },
          check: (data: Json) => {
            const made = o.events().find((e) => e.subject === 'Design review');
            expect(made).toMatchObject({ timeZone: 'Europe/Berlin', start: '2027-04-10T12:00:00.000Z' });
            expect(data.event).toMatchObject({
              id: `outlook_event_${made?.id}`,
              title: 'Design review',
              start: '2027-04-10T12:00:00.000Z',
              end: '2027-04-10T13:00:00.000Z',
              attendees: [{ email: 'jonas@acme.com', response_status: 'none' }],
            });
          },
        },
        send_email: {
          input: { to: ['adele@contoso.com'], subject: 'Deploy finished', body: 'All green.' },
          check: (data: Json) => {
            expect(data).toEqual({
              sent: true,
              to: ['adele@contoso.com'],
              cc: [],
              subject: 'Deploy finished',
            });
            expect(o.sentMail.at(-1)).toMatchObject({
              message: {
                subject: 'Deploy finished',
                body: { contentType: 'Text', content: 'All green.' },
                toRecipients: [{ emailAddress: { address: 'adele@contoso.com' } }],
              },
            });
          },
        },
      },
      probe: 'list_events',
      failNext: (kind, retryAfterSeconds) => o.failNext(kind, retryAfterSeconds),
      refusalMessage: o.refusalMessage,
    };
  },
};

export default scenario;
