import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { calendarEvent } from '../../../adapters/models';
import { type OutlookFake, startOutlookFake } from '../../fakes/outlook';
import { runAction } from './action-helpers';
import { expectProviderError, secretsOf, verify } from './verify-helpers';

let o: OutlookFake;
beforeAll(async () => {
  o = await startOutlookFake();
});
afterAll(() => o.stop());

const act = (action: string, input: Record<string, unknown>, credentials = o.valid) =>
  runAction('outlook', action, { credentials, baseUrl: o.apiBaseUrl }, input);

/** What the action's schema says of an input: its issues' paths, none when it passes. */
const refusedPaths = async (action: string, input: Record<string, unknown>) => {
  const prepared = (await loadAdapter('outlook'))?.actions[action]?.prepare(input);
  return prepared?.success ? [] : (prepared?.issues.map((i) => i.path.join('.')) ?? ['?']);
};

describe('outlook verify', () => {
  it('GET /me names the account; the Entra tenant is kept for webhook routing', async () => {
    const v = await verify('outlook', { credentials: o.valid, baseUrl: o.apiBaseUrl });
    expect(v).toEqual({ account: o.account, metadata: { tenant_id: o.tenantId, tenant_name: 'Contoso' } });
  });

  it('a token Graph refuses is rejected with its reason, and the token is nowhere in the error', async () => {
    const bad = { type: 'oauth2' as const, access_token: 'eyJ0eXAi.not.valid' };
    await expectProviderError(verify('outlook', { credentials: bad, baseUrl: o.apiBaseUrl }), 'rejected', {
      status: 401,
      message: /^InvalidAuthenticationToken: /,
      secrets: secretsOf(bad),
    });
  });
});

describe('outlook send_email', () => {
  it('POSTs /me/sendMail with the recipients, subject and body; Graph answers 202', async () => {
    const data = await act('send_email', {
      to: ['adele@contoso.com', 'lee@fabrikam.com'],
      cc: ['alex@contoso.com'],
      subject: 'Launch',
      body: '<p>We are live</p>',
      content_type: 'html',
    });
    expect(data).toEqual({
      sent: true,
      to: ['adele@contoso.com', 'lee@fabrikam.com'],
      cc: ['alex@contoso.com'],
      subject: 'Launch',
    });
    expect(o.sentMail.at(-1)).toEqual({
      message: {
        subject: 'Launch',
        body: { contentType: 'HTML', content: '<p>We are live</p>' },
        toRecipients: [
          { emailAddress: { address: 'adele@contoso.com' } },
          { emailAddress: { address: 'lee@fabrikam.com' } },
        ],
        ccRecipients: [{ emailAddress: { address: 'alex@contoso.com' } }],
      },
      saveToSentItems: true,
    });
  });

  it('refuses bad input before calling Graph', async () => {
    expect(await refusedPaths('send_email', { to: [], subject: 'x', body: 'y' })).toEqual(['to']);
    expect(await refusedPaths('send_email', { to: ['not an address'], subject: 'x', body: 'y' })).toEqual([
      'to.0',
    ]);
    expect(await refusedPaths('send_email', { to: ['a@b.co'], subject: '', body: 'y' })).toEqual(['subject']);
  });

  it('a token without Mail.Send: Graph 403 ErrorAccessDenied, as a refusal', async () => {
    const sent = o.sentMail.length;
    await expectProviderError(
      act('send_email', { to: ['a@b.co'], subject: 'x', body: 'y' }, o.readOnly),
      'rejected',
      {
        status: 403,
        message: `ErrorAccessDenied: ${o.refusalMessage}`,
      },
    );
    expect(o.sentMail).toHaveLength(sent);
  });
});

describe('outlook create_event', () => {
  it('keeps the event in time_zone: the wall time there goes to Graph, the answer maps to UTC instants', async () => {
    const data = await act('create_event', {
      subject: 'Design review',
      body: 'Bring the mocks',
      location: 'Room 4',
      start: '2026-04-10T14:00:00+02:00',
      end: '2026-04-10T15:30:00+02:00',
      time_zone: 'America/New_York',
      attendees: ['jonas@acme.com'],
    });
    const made = o.events().find((e) => e.subject === 'Design review');
    // 14:00 in Berlin (+02:00) is 08:00 in New York (-04:00): the fake read that wall time in that zone.
    expect(made).toMatchObject({
      timeZone: 'America/New_York',
      start: '2026-04-10T12:00:00.000Z',
      end: '2026-04-10T13:30:00.000Z',
      isAllDay: false,
      location: 'Room 4',
      attendees: [{ address: 'jonas@acme.com', name: 'jonas@acme.com', response: 'none' }],
    });
    expect(data.event).toEqual({
      id: `outlook_event_${made?.id}`,
      title: 'Design review',
      description: 'Bring the mocks',
      status: 'confirmed',
      start: '2026-04-10T12:00:00.000Z',
      end: '2026-04-10T13:30:00.000Z',
      all_day: false,
      location: 'Room 4',
      organizer: expect.stringMatching(/^MeganB@/),
      attendees: [{ email: 'jonas@acme.com', response_status: 'none' }],
      url: expect.stringContaining('https://outlook.office365.com/owa/?itemid='),
      calendar: 'calendar',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const { id: _, ...fields } = data.event as Record<string, unknown>;
    expect(calendarEvent.safeParse(fields).success).toBe(true);
  });

  it('UTC by default; all-day from dates, midnight to midnight', async () => {
    const utc = await act('create_event', {
      subject: 'Standup',
      start: '2026-04-11T09:00:00Z',
      end: '2026-04-11T09:15:00Z',
    });
    expect(o.events().find((e) => e.subject === 'Standup')).toMatchObject({
      timeZone: 'UTC',
      start: '2026-04-11T09:00:00.000Z',
    });
    expect(utc.event).toMatchObject({ start: '2026-04-11T09:00:00.000Z', end: '2026-04-11T09:15:00.000Z' });
    const offsite = await act('create_event', {
      subject: 'Offsite',
      start: '2026-05-04',
      end: '2026-05-06',
      time_zone: 'Europe/Berlin',
    });
    expect(o.events().find((e) => e.subject === 'Offsite')).toMatchObject({
      isAllDay: true,
      timeZone: 'Europe/Berlin',
    });
    expect(offsite.event).toMatchObject({ start: '2026-05-04', end: '2026-05-06', all_day: true });
  });

  it('refuses bad input: mixed dates, end before start, an unknown zone', async () => {
    const ok = { subject: 'x', start: '2026-04-11T09:00:00Z', end: '2026-04-11T10:00:00Z' };
    expect(await refusedPaths('create_event', ok)).toEqual([]);
    expect(await refusedPaths('create_event', { ...ok, end: '2026-04-12' })).toContain('end');
    expect(await refusedPaths('create_event', { ...ok, end: '2026-04-11T08:00:00Z' })).toEqual(['end']);
    expect(await refusedPaths('create_event', { ...ok, time_zone: 'Mars/Olympus' })).toEqual(['time_zone']);
    expect(await refusedPaths('create_event', { ...ok, start: '2026-04-11 09:00' })).toContain('start');
  });
});

describe('outlook list_events', () => {
  it('lists the events overlapping the range, soonest first, a page at a time', async () => {
    const day = '2027-01-15';
    for (const h of ['13', '09', '11']) o.addEvent({ subject: `At ${h}`, start: `${day}T${h}:00:00.000Z` });
    o.addEvent({ subject: 'Next day', start: '2027-01-16T09:00:00.000Z' });
    const range = { start: `${day}T00:00:00Z`, end: `${day}T23:59:59Z` };
    const first = await act('list_events', { ...range, limit: 2 });
    expect((first.events as { title: string }[]).map((e) => e.title)).toEqual(['At 09', 'At 11']);
    expect(first.next_cursor).toBe('2');
    const second = await act('list_events', { ...range, limit: 2, cursor: first.next_cursor });
    expect((second.events as { title: string }[]).map((e) => e.title)).toEqual(['At 13']);
    expect(second.next_cursor).toBeNull();
    for (const e of first.events as Record<string, unknown>[]) {
      const { id: _, ...fields } = e;
      expect(calendarEvent.safeParse(fields).success).toBe(true);
    }
  });

  it('refuses a range that ends before it starts', async () => {
    expect(
      await refusedPaths('list_events', { start: '2027-01-15T10:00:00Z', end: '2027-01-15T09:00:00Z' }),
    ).toEqual(['end']);
  });

  it('Graph throttling (429, or 503 with Retry-After) is a rate limit; a 500 unreachable', async () => {
    const input = { start: '2027-01-15T00:00:00Z', end: '2027-01-16T00:00:00Z' };
    o.failNext('rate_limit', 7);
    expect((await expectProviderError(act('list_events', input), 'rate_limited')).retryAfterSeconds).toBe(7);
    o.failNext('throttle_503', 4);
    expect((await expectProviderError(act('list_events', input), 'rate_limited')).retryAfterSeconds).toBe(4);
    o.failNext('down');
    await expectProviderError(act('list_events', input), 'unreachable', { status: 500 });
    expect((await act('list_events', input)).events).toBeInstanceOf(Array);
  });
});
