import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter, type SyncContext, type SyncPage, type SyncRecord } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type OutlookFake, startOutlookFake } from '../../fakes/outlook';
import { reply, startFakeServer } from '../../fakes/server';
import { expectValid, idsOf, stored } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let o: OutlookFake;
const DAY = 86_400_000;

beforeAll(async () => {
  o = await startOutlookFake();
});
afterAll(() => o.stop());

type Run = {
  records: SyncRecord[];
  deletedIds: string[];
  pages: SyncPage[];
  cursor: unknown;
  resync: boolean;
};

/** One page as the engine asks for it: through the registry, with the shared http client. */
const page = async (
  sync: string,
  c: {
    mode?: 'full' | 'incremental';
    cursor?: unknown;
    checkpoint?: unknown;
    credentials?: SyncContext['credentials'];
  } = {},
): Promise<SyncPage> => {
  const fn = (await loadAdapter('outlook'))?.syncs[sync];
  if (!fn) throw new Error(`no sync ${sync}`);
  return fn.fetchPage({
    credentials: c.credentials ?? o.valid,
    baseUrl: o.apiBaseUrl,
    config: {},
    metadata: {},
    http: providerHttp,
    mode: c.mode ?? 'full',
    ...(c.cursor !== undefined ? { cursor: stored(c.cursor) } : {}),
    ...(c.checkpoint !== undefined ? { checkpoint: stored(c.checkpoint) } : {}),
  });
};

/** A run from `checkpoint` (none: the start) to its last page, or `maxPages`. */
const run = async (
  sync: string,
  c: { mode?: 'full' | 'incremental'; cursor?: unknown; checkpoint?: unknown } = {},
  maxPages = 1000,
): Promise<Run & { next: unknown }> => {
  const out: Run & { next: unknown } = {
    records: [],
    deletedIds: [],
    pages: [],
    cursor: undefined,
    resync: false,
    next: undefined,
  };
  let checkpoint = c.checkpoint;
  for (let i = 0; i < maxPages; i++) {
    const p = await page(sync, { ...c, ...(checkpoint !== undefined ? { checkpoint } : {}) });
    out.pages.push(p);
    out.records.push(...p.records);
    out.deletedIds.push(...(p.deletedIds ?? []));
    if (p.resync) out.resync = true;
    if (p.next === undefined) {
      out.cursor = p.cursor;
      out.next = undefined;
      return out;
    }
    checkpoint = p.next;
    out.next = p.next;
  }
  return out;
};

/** The live events of the synced range (90 days back, a year ahead). */
const inRange = () =>
  o
    .events()
    .filter((e) => Date.parse(e.end) > Date.now() - 90 * DAY && Date.parse(e.start) < Date.now() + 365 * DAY);
const eventIds = (ids: string[]) => ids.map((id) => `outlook_event_${id}`).sort();
const messageIds = (ids: string[]) => ids.map((id) => `outlook_message_${id}`).sort();
const deltaCalls = (what: string) => o.graphCalls.filter((c) => c.path.endsWith(`${what}/delta`));

describe('outlook calendar_events', () => {
  let seeded: string[];
  let cursor: unknown;

  beforeAll(() => {
    seeded = o.seedEvents(120);
    // Outside the synced range: 400 days ahead, and 200 days back.
    o.addEvent({ start: new Date(Date.now() + 400 * DAY).toISOString() });
    o.addEvent({ start: new Date(Date.now() - 200 * DAY).toISOString() });
  });

  it('lists the range in pages of 50, each record valid, and keeps the delta link as the cursor', async () => {
    const before = deltaCalls('calendarView').length;
    const r = await run('calendar_events');
    expect(r.pages).toHaveLength(3);
    expect(idsOf(r.records)).toEqual(eventIds(seeded));
    expectValid(r.records, 'calendar_event');
    expect(r.resync).toBe(false);
    const first = deltaCalls('calendarView')[before];
    const q = new URLSearchParams(first?.query);
    expect(Date.parse(q.get('startDateTime') ?? '')).toBeLessThan(Date.now() - 89 * DAY);
    expect(Date.parse(q.get('endDateTime') ?? '')).toBeGreaterThan(Date.now() + 364 * DAY);
    // The next pages follow Graph's links; the cursor is the last page's delta link.
    expect(
      deltaCalls('calendarView')
        .slice(before + 1)
        .every((c) => c.query.startsWith('%24skiptoken=')),
    ).toBe(true);
    expect(r.cursor).toEqual({
      deltaLink: expect.stringMatching(new RegExp(`^${o.apiBaseUrl}/me/calendarView/delta\\?\\$deltatoken=`)),
      windowEnd: q.get('endDateTime'),
    });
    cursor = r.cursor;
  });

  it('maps times to UTC instants whatever zone the event is kept in, and the rest of the event', async () => {
    const berlin = o.addEvent({
      start: '2026-12-20T09:30:00.000Z',
      timeZone: 'Europe/Berlin',
      subject: 'Planning',
      bodyPreview: 'Bring numbers',
      location: 'Room 4',
      showAs: 'tentative',
    });
    const allDay = o.addEvent({
      start: '2026-12-24T00:00:00.000Z',
      end: '2026-12-26T00:00:00.000Z',
      isAllDay: true,
    });
    const r = await run('calendar_events', { mode: 'incremental', cursor });
    const byId = new Map(r.records.map((x) => [x.id, x.data]));
    expect(byId.get(`outlook_event_${berlin.id}`)).toEqual({
      title: 'Planning',
      description: 'Bring numbers',
      status: 'tentative',
      start: '2026-12-20T09:30:00.000Z',
      end: '2026-12-20T10:30:00.000Z',
      all_day: false,
      location: 'Room 4',
      organizer: expect.stringMatching(/^MeganB@/),
      attendees: [{ email: expect.stringMatching(/^AlexW@/), response_status: expect.any(String) }],
      url: expect.stringContaining('https://outlook.office365.com/owa/?itemid='),
      calendar: 'calendar',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(byId.get(`outlook_event_${allDay.id}`)).toMatchObject({
      start: '2026-12-24',
      end: '2026-12-26',
      all_day: true,
    });
    cursor = r.cursor;
  });

  it('an incremental run from the delta link reads only what changed, deletions included', async () => {
    const [changed, removed] = seeded as [string, string];
    o.updateEvent(changed, { subject: 'Moved', isCancelled: true });
    o.deleteEvent(removed);
    const added = o.addEvent().id;
    const before = deltaCalls('calendarView').length;
    const r = await run('calendar_events', { mode: 'incremental', cursor });
    expect(deltaCalls('calendarView')[before]?.query).toMatch(/^%24deltatoken=/);
    expect(r.resync).toBe(false);
    expect(idsOf(r.records)).toEqual(eventIds([changed, added]));
    expect(r.records.find((x) => x.id === `outlook_event_${changed}`)?.data).toMatchObject({
      title: 'Moved',
      status: 'cancelled',
    });
    expect(r.deletedIds).toEqual(eventIds([removed]));
    expect(r.cursor).not.toEqual(cursor);
    // Nothing changed since: an empty page and a new delta link.
    const again = await run('calendar_events', { mode: 'incremental', cursor: r.cursor });
    expect([again.records, again.deletedIds]).toEqual([[], []]);
    cursor = again.cursor;
  });

  it('resumes a run from its checkpoint (the next link) without repeating a record', async () => {
    const first = await run('calendar_events', {}, 1);
    expect(first.next).toMatchObject({ link: expect.stringContaining('$skiptoken=') });
    const rest = await run('calendar_events', { checkpoint: first.next });
    const all = [...first.records, ...rest.records];
    expect(new Set(all.map((x) => x.id)).size).toBe(all.length);
    expect(all.length).toBe(inRange().length);
    expect(rest.cursor).toMatchObject({ deltaLink: expect.any(String) });
  });

  it('410 Gone on the delta link: starts a new round and says resync, the new cursor works', async () => {
    o.expireDeltaTokens();
    const gone = o.seedEvents(1)[0] as string;
    o.deleteEvent(gone);
    const r = await run('calendar_events', { mode: 'incremental', cursor });
    expect(r.resync).toBe(true);
    expect(r.pages.every((p) => p.resync === true)).toBe(true);
    expect(r.records.length).toBe(inRange().length);
    expect(r.deletedIds).toEqual([]);
    const after = await run('calendar_events', { mode: 'incremental', cursor: r.cursor });
    expect([after.records.length, after.resync]).toEqual([0, false]);
    cursor = after.cursor;
  });

  it('an incremental run without a cursor, or with a range near its end, lists everything anew', async () => {
    const none = await page('calendar_events', { mode: 'incremental' });
    expect(none.resync).toBe(true);
    const stale = { ...(cursor as object), windowEnd: new Date(Date.now() + 10 * DAY).toISOString() };
    const before = deltaCalls('calendarView').length;
    const p = await page('calendar_events', { mode: 'incremental', cursor: stale });
    expect(p.resync).toBe(true);
    expect(deltaCalls('calendarView')[before]?.query).toMatch(/^startDateTime=/);
  });
});

describe('outlook messages', () => {
  let inbox: string[];
  let cursor: unknown;

  beforeAll(() => {
    inbox = o.seedMessages(60);
    o.seedMessages(4, { folder: 'archive' });
  });

  it('lists the Inbox, mapped to message', async () => {
    const r = await run('messages');
    expect(r.pages).toHaveLength(2);
    expect(idsOf(r.records)).toEqual(messageIds(inbox));
    expectValid(r.records, 'message');
    const m = o.messages().find((x) => x.cc.length > 0);
    expect(r.records.find((x) => x.id === `outlook_message_${m?.id}`)?.data).toEqual({
      text: m?.bodyPreview,
      subject: m?.subject,
      recipients: [...(m?.to ?? []), ...(m?.cc ?? [])].map((a) => a.address),
      channel: 'inbox',
      author: m?.from.address,
      url: expect.stringContaining('https://outlook.office365.com/owa/?ItemID='),
      thread_id: m?.conversationId,
      created_at: new Date(m?.receivedDateTime ?? '').toISOString(),
    });
    // $select asked once, carried by Graph's links.
    const calls = deltaCalls('mailFolders/inbox/messages');
    expect(calls.at(-2)?.query).toMatch(/^%24select=subject%2CbodyPreview/);
    cursor = r.cursor;
  });

  it('incremental: changes, deletions and moves out of the Inbox', async () => {
    const [edited, deleted, moved] = inbox as [string, string, string];
    o.updateMessage(edited, { subject: 'Re: numbers' });
    o.deleteMessage(deleted);
    o.updateMessage(moved, { folder: 'archive' });
    const r = await run('messages', { mode: 'incremental', cursor });
    expect(r.resync).toBe(false);
    expect(idsOf(r.records)).toEqual(messageIds([edited]));
    expect(r.records[0]?.data).toMatchObject({ subject: 'Re: numbers' });
    expect(r.deletedIds.sort()).toEqual(messageIds([deleted, moved]));
    cursor = r.cursor;
  });

  it('410 Gone: a new round, resync', async () => {
    o.expireDeltaTokens();
    const r = await run('messages', { mode: 'incremental', cursor });
    expect(r.resync).toBe(true);
    expect(r.records.length).toBe(o.messages().length);
  });
});

describe('outlook syncs: Graph refusals', () => {
  it('429 and a 503 with Retry-After are rate limits; a 500 is unreachable; 403 a refusal in Graph words', async () => {
    o.failNext('rate_limit', 12);
    const limited = await expectProviderError(page('messages'), 'rate_limited');
    expect(limited.retryAfterSeconds).toBe(12);
    o.failNext('throttle_503', 9);
    const throttled = await expectProviderError(page('calendar_events'), 'rate_limited');
    expect(throttled.retryAfterSeconds).toBe(9);
    o.failNext('down');
    await expectProviderError(page('messages'), 'unreachable', { status: 500 });
    await expectProviderError(
      page('messages', { credentials: { type: 'oauth2', access_token: 'nope' } }),
      'rejected',
      {
        message: /^InvalidAuthenticationToken: /,
      },
    );
  });

  it('reads with the read scopes alone; a 403 is a refusal in Graph words', async () => {
    const r = await page('messages', { credentials: o.readOnly });
    expect(r.records.length).toBeGreaterThan(0);
    o.failNext('refuse');
    await expectProviderError(page('calendar_events'), 'rejected', {
      status: 403,
      message: `ErrorAccessDenied: ${o.refusalMessage}`,
    });
  });

  it('never follows a link to another host (the token would go with it)', async () => {
    const elsewhere = await startFakeServer(() => reply(200, { value: [] }), reply(503));
    try {
      await expectProviderError(
        page('messages', {
          checkpoint: { link: `${elsewhere.url}/v1.0/me/mailFolders/inbox/messages/delta` },
        }),
        'unreachable',
      );
      await expectProviderError(
        page('messages', {
          mode: 'incremental',
          cursor: { deltaLink: `${elsewhere.url}/v1.0/x?$deltatoken=1` },
        }),
        'unreachable',
      );
      expect(elsewhere.requests).toHaveLength(0);
    } finally {
      await elsewhere.stop();
    }
  });
});
