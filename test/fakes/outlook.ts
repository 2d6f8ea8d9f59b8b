import { randomBytes, randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { graphError } from './microsoft-teams-graph';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * Microsoft Graph (v1.0) for one Outlook mailbox: the signed-in user's mail and default
 * calendar, as the Outlook adapter reads and writes them.
 * - GET /me, /organization (the user and their Entra tenant).
 * - GET /me/mailFolders/inbox/messages/delta and GET /me/calendarView/delta?startDateTime&
 *   endDateTime: delta rounds. The first request lists what is there, in pages of
 *   `Prefer: odata.maxpagesize` (default 10) linked by `@odata.nextLink` (`$skiptoken`); the
 *   last page carries `@odata.deltaLink` (`$deltatoken`), which later lists only what changed
 *   since — changed items in full, deleted ones (and events moved out of the range) as
 *   `{ id, "@removed": { reason } }`. Tokens are opaque, encode the range (and `$select`), and
 *   once expired (`expireDeltaTokens`) answer 410 Gone `syncStateNotFound`.
 * - GET /me/calendarView?startDateTime&endDateTime ($top, $skip, $orderby=start/dateTime).
 * - POST /me/events (201 the event) and POST /me/sendMail (202, nothing).
 * Event times are the wall time in the event's zone, or in UTC with
 * `Prefer: outlook.timezone="UTC"` (`2025-03-03T08:00:00.0000000`).
 * Tokens carry scopes, checked per call with Graph's 403 ErrorAccessDenied; a bad token gets
 * 401 InvalidAuthenticationToken; errors are `{"error": {"code", "message", "innerError"}}`.
 * Throttling is 429 with Retry-After (ApplicationThrottled, MailboxConcurrency), or 503 with
 * Retry-After.
 * https://learn.microsoft.com/en-us/graph/delta-query-messages
 * https://learn.microsoft.com/en-us/graph/delta-query-events
 * https://learn.microsoft.com/en-us/graph/api/user-list-calendarview
 * https://learn.microsoft.com/en-us/graph/api/user-post-events
 * https://learn.microsoft.com/en-us/graph/api/user-sendmail
 * https://learn.microsoft.com/en-us/graph/throttling
 *
 * Subscriptions (`registerWebhook`) get change notifications for `me/messages` and
 * `me/events` (basic: resource path and id), after Graph's validation request.
 * https://learn.microsoft.com/en-us/graph/outlook-change-notifications-overview
 */

type Address = { name: string; address: string };

export type FakeMessage = {
  id: string;
  subject: string;
  bodyPreview: string;
  from: Address;
  to: Address[];
  cc: Address[];
  conversationId: string;
  receivedDateTime: string;
  folder: 'inbox' | 'archive';
};

export type FakeEvent = {
  id: string;
  subject: string;
  bodyPreview: string;
  /** UTC instants; all-day events midnight to midnight (UTC). */
  start: string;
  end: string;
  timeZone: string;
  isAllDay: boolean;
  isCancelled: boolean;
  showAs: 'free' | 'tentative' | 'busy' | 'oof';
  location: string;
  attendees: { address: string; name: string; response: string }[];
  createdDateTime: string;
  lastModifiedDateTime: string;
};

type Tracked<T> = { item: T; seq: number; deleted: boolean };
type FaultKind = 'refuse' | 'down' | 'rate_limit' | 'throttle_503';

export type OutlookFake = ProviderFake<Credentials> &
  WebhookOutboxControls & {
    /** A token with Mail.Read and Calendars.Read only. */
    readOnly: Credentials;
    tenantId: string;
    /** The message of failNext('refuse'). */
    refusalMessage: string;
    addMessage(o?: Partial<Omit<FakeMessage, 'id'>>): FakeMessage;
    seedMessages(n: number, o?: Partial<Omit<FakeMessage, 'id'>>): string[];
    updateMessage(id: string, o: Partial<Omit<FakeMessage, 'id'>>): void;
    deleteMessage(id: string): void;
    /** Live messages of a folder. */
    messages(folder?: FakeMessage['folder']): FakeMessage[];
    /** Events start hourly from `start` (default: tomorrow 08:00 UTC), an hour long. */
    addEvent(o?: Partial<Omit<FakeEvent, 'id'>>): FakeEvent;
    seedEvents(n: number, o?: Partial<Omit<FakeEvent, 'id'>>): string[];
    updateEvent(id: string, o: Partial<Omit<FakeEvent, 'id'>>): void;
    deleteEvent(id: string): void;
    events(): FakeEvent[];
    /** What POST /me/sendMail accepted, as Graph got it. */
    sentMail: Record<string, unknown>[];
    /** Every delta token and skip token issued so far now answers 410 Gone. */
    expireDeltaTokens(): void;
    /** Delta and list requests received (path and query), to see which links were followed. */
    graphCalls: { path: string; query: string }[];
    /**
     * The next Graph request answers: `refuse` 403 ErrorAccessDenied, `down` 500
     * generalException, `rate_limit` 429 with Retry-After, `throttle_503` 503 with Retry-After.
     */
    failNext(kind: FaultKind, retryAfterSeconds?: number): void;
    /**
     * Subscribes `url` to `resources` (default `me/messages` and `me/events`), after Graph's
     * validation request; throws when the URL does not echo the token.
     */
    registerWebhook(url: string, clientState: string, o?: { resources?: string[] }): Promise<void>;
    /** A lifecycle notification for every subscription. */
    lifecycle(event: 'missed' | 'reauthorizationRequired' | 'subscriptionRemoved'): void;
  };

const REFUSAL_MESSAGE = 'Access is denied. Check credentials and try again.';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Graph ids: long, base64-ish, with `-` and `_` (immutable ids) and `=` padding. */
const graphId = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}AAA=`;
/** Graph writes date-times with seven fractional digits. */
const graphTime = (instant: string | number) => `${new Date(instant).toISOString().slice(0, 19)}.0000000`;

const wallTime = (instant: string, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '00';
  return `${p('year')}-${p('month')}-${p('day')}T${p('hour')}:${p('minute')}:${p('second')}.0000000`;
};

/** The UTC instant of a wall time in a zone (two rounds settle any DST edge). */
const fromWallTime = (local: string, timeZone: string): number => {
  const asUtc = Date.parse(`${local.slice(0, 19)}Z`);
  let t = asUtc;
  for (let i = 0; i < 2; i++)
    t = asUtc - (Date.parse(`${wallTime(new Date(t).toISOString(), timeZone).slice(0, 19)}Z`) - t);
  return t;
};

const knownZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const startOutlookFake = async (): Promise<OutlookFake> => {
  const tenantId = randomUUID();
  const domain = 'contoso.onmicrosoft.com';
  const user = { id: randomUUID(), displayName: 'Megan Bowen', mail: `MeganB@${domain}` };
  const tokens = new Map<string, string[]>();
  const mint = (scopes: string[]) => {
    const t = sensitive(
      `eyJ0eXAiOiJKV1QiLCJub25jZSI6I${randomToken(40)}.eyJhdWQiOi${randomToken(300)}.${randomToken(86)}`,
    );
    tokens.set(t, scopes);
    return t;
  };
  const valid = mint(['User.Read', 'Mail.Read', 'Mail.Send', 'Calendars.ReadWrite']);
  const readOnly = mint(['User.Read', 'Mail.Read', 'Calendars.Read']);

  let seq = 0;
  let epoch = 0;
  const messages = new Map<string, Tracked<FakeMessage>>();
  const events = new Map<string, Tracked<FakeEvent>>();
  const sentMail: Record<string, unknown>[] = [];
  const graphCalls: OutlookFake['graphCalls'] = [];
  let fault: { kind: FaultKind; retryAfter: number } | undefined;
  let origin = '';
  let nextMessageAt = Date.parse('2025-02-03T07:00:00Z');
  let nextEventAt = Math.floor(Date.now() / DAY) * DAY + DAY + 8 * HOUR;

  // ---- change notifications
  type Subscription = { id: string; resource: string; url: string; clientState: string; expires: string };
  const subscriptions: Subscription[] = [];
  const outbox = createWebhookOutbox({ timeoutMs: 3000 });
  const notify = (url: string, items: Record<string, unknown>[]) =>
    void outbox.send({
      url,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ value: items }),
    });
  const base = (s: Subscription) => ({
    subscriptionId: s.id,
    subscriptionExpirationDateTime: s.expires,
    clientState: s.clientState,
    tenantId,
  });
  const changed = (kind: 'message' | 'event', changeType: string, id: string) => {
    const collection = kind === 'message' ? 'Messages' : 'Events';
    for (const s of subscriptions) {
      if (s.resource.replace(/^\//, '').toLowerCase() !== `me/${collection.toLowerCase()}`) continue;
      const path = `Users/${user.id}/${collection}/${id}`;
      notify(s.url, [
        {
          ...base(s),
          changeType,
          resource: path,
          resourceData: {
            '@odata.type': `#Microsoft.Graph.${kind === 'message' ? 'Message' : 'Event'}`,
            '@odata.id': path,
            '@odata.etag': `W/"${randomBytes(12).toString('base64')}"`,
            id,
          },
        },
      ]);
    }
  };

  // ---- mailbox
  const addMessage: OutlookFake['addMessage'] = (o = {}) => {
    nextMessageAt += 17 * 60_000;
    const n = messages.size + 1;
    const m: FakeMessage = {
      id: graphId(
        'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e',
      ),
      subject: `Quarterly numbers ${n}`,
      bodyPreview: `Hi Megan, here is update ${n}.`,
      from: { name: `Sender ${n}`, address: `sender${n}@fabrikam.com` },
      to: [{ name: user.displayName, address: user.mail }],
      cc: n % 3 === 0 ? [{ name: 'Alex Wilber', address: `AlexW@${domain}` }] : [],
      conversationId: `AAQkAGVmMDEzMTM4${randomBytes(12).toString('base64url')}=`,
      receivedDateTime: new Date(nextMessageAt).toISOString().replace('.000', ''),
      folder: 'inbox',
      ...o,
    };
    messages.set(m.id, { item: m, seq: ++seq, deleted: false });
    changed('message', 'created', m.id);
    return m;
  };

  const addEvent: OutlookFake['addEvent'] = (o = {}) => {
    const start = o.start ?? new Date(nextEventAt).toISOString();
    nextEventAt += HOUR;
    const n = events.size + 1;
    const now = new Date().toISOString();
    const e: FakeEvent = {
      id: graphId('AAMkAGIAAAoZDOFAAA'),
      subject: `Meeting ${n}`,
      bodyPreview: n % 2 === 0 ? `Agenda for meeting ${n}` : '',
      start,
      end: new Date(Date.parse(start) + HOUR).toISOString(),
      // Events are kept in the zone they were made in; Graph converts on the way out.
      timeZone: n % 2 === 0 ? 'Europe/Berlin' : 'UTC',
      isAllDay: false,
      isCancelled: false,
      showAs: n % 4 === 0 ? 'tentative' : 'busy',
      location: n % 2 === 0 ? `Room ${n}` : '',
      attendees: [
        { address: `AlexW@${domain}`, name: 'Alex Wilber', response: n % 2 === 0 ? 'accepted' : 'none' },
      ],
      createdDateTime: now,
      lastModifiedDateTime: now,
      ...o,
    };
    events.set(e.id, { item: e, seq: ++seq, deleted: false });
    changed('event', 'created', e.id);
    return e;
  };

  const known = <T>(map: Map<string, Tracked<T>>, id: string) => {
    const t = map.get(id);
    if (!t || t.deleted) throw new Error(`no item ${id}`);
    return t;
  };

  // ---- JSON as Graph answers it
  const recipient = (a: Address) => ({ emailAddress: { name: a.name, address: a.address } });
  const messageJson = (m: FakeMessage) => ({
    '@odata.etag': `W/"${randomBytes(12).toString('base64')}"`,
    id: m.id,
    subject: m.subject,
    bodyPreview: m.bodyPreview,
    from: recipient(m.from),
    toRecipients: m.to.map(recipient),
    ccRecipients: m.cc.map(recipient),
    conversationId: m.conversationId,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    receivedDateTime: m.receivedDateTime,
    createdDateTime: m.receivedDateTime,
  });
  const eventJson = (e: FakeEvent, utc: boolean) => {
    const at = (instant: string) =>
      e.isAllDay
        ? { dateTime: graphTime(instant), timeZone: utc ? 'UTC' : e.timeZone }
        : utc
          ? { dateTime: graphTime(instant), timeZone: 'UTC' }
          : { dateTime: wallTime(instant, e.timeZone), timeZone: e.timeZone };
    return {
      '@odata.etag': `W/"${randomBytes(12).toString('base64')}"`,
      id: e.id,
      createdDateTime: e.createdDateTime,
      lastModifiedDateTime: e.lastModifiedDateTime,
      changeKey: randomBytes(12).toString('base64'),
      categories: [],
      originalStartTimeZone: e.timeZone,
      originalEndTimeZone: e.timeZone,
      iCalUId: `040000008200E00074C5B7101A82E008${randomBytes(16).toString('hex').toUpperCase()}`,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: false,
      subject: e.subject,
      bodyPreview: e.bodyPreview,
      importance: 'normal',
      sensitivity: 'normal',
      isAllDay: e.isAllDay,
      isCancelled: e.isCancelled,
      isOrganizer: true,
      responseRequested: true,
      seriesMasterId: null,
      showAs: e.showAs,
      type: 'singleInstance',
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(e.id)}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: false,
      responseStatus: { response: 'organizer', time: '0001-01-01T00:00:00Z' },
      body: { contentType: 'html', content: `<html><body>${e.bodyPreview}</body></html>` },
      start: at(e.start),
      end: at(e.end),
      location: { displayName: e.location, locationType: 'default', uniqueIdType: 'unknown' },
      locations: e.location ? [{ displayName: e.location }] : [],
      recurrence: null,
      attendees: e.attendees.map((a) => ({
        type: 'required',
        status: { response: a.response, time: '0001-01-01T00:00:00Z' },
        emailAddress: { name: a.name, address: a.address },
      })),
      organizer: { emailAddress: { name: user.displayName, address: user.mail } },
    };
  };

  // ---- delta and skip tokens: opaque, base64url JSON behind a fixed prefix
  type DeltaState = { e: number; s: number; w?: [string, string]; sel?: string };
  type SkipState = DeltaState & { o: number; from: number };
  const TOKEN_PREFIX = 'MSxgDcmAYY';
  const encode = (state: object) =>
    `${TOKEN_PREFIX}${Buffer.from(JSON.stringify(state)).toString('base64url')}`;
  const decode = <T>(token: string): T | undefined => {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    try {
      return JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
  };
  const syncStateGone = () =>
    graphError(
      410,
      'syncStateNotFound',
      'The sync state is no longer available. A full synchronization is required.',
    );

  const pageSizeOf = (req: FakeRequest): number => {
    const m = /odata\.maxpagesize=(\d+)/.exec(req.headers.prefer ?? '');
    return m ? Math.min(Number(m[1]), 1000) : 10;
  };
  const wantsUtc = (req: FakeRequest) => /outlook\.timezone="UTC"/i.test(req.headers.prefer ?? '');
  const overlaps = (e: FakeEvent, w: [string, string]) =>
    Date.parse(e.start) < Date.parse(w[1]) && Date.parse(e.end) > Date.parse(w[0]);
  const select = (json: Record<string, unknown>, sel: string | undefined) =>
    sel
      ? Object.fromEntries(
          Object.entries(json).filter(
            ([k]) => k === 'id' || k === '@odata.etag' || sel.split(',').includes(k),
          ),
        )
      : json;

  /** One delta page of `map`: a new round (`from` -1) lists live items, a later one changes. */
  const deltaAnswer = <T extends { id: string }>(
    req: FakeRequest,
    map: Map<string, Tracked<T>>,
    state: SkipState,
    include: (item: T) => boolean,
    json: (item: T) => Record<string, unknown>,
  ): FakeReply => {
    const path = req.path;
    const rows = [...map.values()]
      .filter(
        (t) => t.seq <= state.s && (state.from < 0 ? !t.deleted && include(t.item) : t.seq > state.from),
      )
      .sort((a, b) => a.seq - b.seq);
    const size = pageSizeOf(req);
    const slice = rows.slice(state.o, state.o + size);
    const value = slice.map((t) =>
      t.deleted || !include(t.item)
        ? {
            '@odata.type': req.path.includes('calendarView')
              ? '#microsoft.graph.event'
              : '#microsoft.graph.message',
            id: (t.item as { id: string }).id,
            '@removed': { reason: t.deleted ? 'deleted' : 'changed' },
          }
        : select(json(t.item), state.sel),
    );
    const more = state.o + size < rows.length;
    const link = (param: string, token: string) => `${origin}${path}?${param}=${token}`;
    return reply(
      200,
      {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#Collection(${path.includes('calendarView') ? 'event' : 'message'})`,
        ...(more
          ? { '@odata.nextLink': link('$skiptoken', encode({ ...state, o: state.o + size })) }
          : {
              '@odata.deltaLink': link(
                '$deltatoken',
                encode({
                  e: state.e,
                  s: state.s,
                  ...(state.w ? { w: state.w } : {}),
                  ...(state.sel ? { sel: state.sel } : {}),
                }),
              ),
            }),
        value,
      },
      /odata\.maxpagesize/.test(req.headers.prefer ?? '')
        ? { 'preference-applied': `odata.maxpagesize=${size}` }
        : {},
    );
  };

  /** Where a delta request stands: a new round, a next page, or a delta link. */
  const deltaState = (req: FakeRequest, window?: [string, string]): SkipState | FakeReply => {
    const skip = req.query.get('$skiptoken');
    const delta = req.query.get('$deltatoken');
    if (skip !== null || delta !== null) {
      const st = decode<SkipState & DeltaState>((skip ?? delta) as string);
      if (!st || typeof st.s !== 'number') return graphError(400, 'BadRequest', 'The token is not valid.');
      if (st.e !== epoch) return syncStateGone();
      // A delta link: what changed after its round, up to now.
      return skip !== null ? st : { ...st, o: 0, from: st.s, s: seq };
    }
    return {
      e: epoch,
      s: seq,
      o: 0,
      from: -1,
      ...(window ? { w: window } : {}),
      ...(req.query.get('$select') ? { sel: req.query.get('$select') as string } : {}),
    };
  };

  const requireScope = (scopes: string[], anyOf: string[]): FakeReply | undefined =>
    anyOf.some((s) => scopes.includes(s)) ? undefined : graphError(403, 'ErrorAccessDenied', REFUSAL_MESSAGE);

  const windowOf = (req: FakeRequest): [string, string] | FakeReply => {
    const s = req.query.get('startDateTime');
    const e = req.query.get('endDateTime');
    if (!s || !e) {
      return graphError(
        400,
        'ErrorInvalidParameter',
        'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      );
    }
    if (Number.isNaN(Date.parse(s)) || Number.isNaN(Date.parse(e))) {
      return graphError(
        400,
        'ErrorInvalidParameter',
        "The value of the parameter 'StartDateTime' is invalid.",
      );
    }
    return [new Date(s).toISOString(), new Date(e).toISOString()];
  };

  const parseBody = (req: FakeRequest): Record<string, unknown> | undefined => {
    try {
      const b = JSON.parse(req.body) as unknown;
      return b && typeof b === 'object' ? (b as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };

  const createEvent = (req: FakeRequest): FakeReply => {
    const b = parseBody(req) as
      | {
          subject?: unknown;
          body?: { content?: unknown };
          start?: { dateTime?: unknown; timeZone?: unknown };
          end?: { dateTime?: unknown; timeZone?: unknown };
          isAllDay?: unknown;
          location?: { displayName?: unknown };
          attendees?: { emailAddress?: { address?: unknown } }[];
        }
      | undefined;
    if (!b) return graphError(400, 'BadRequest', 'Empty Payload. JSON content expected.');
    const times: number[] = [];
    for (const t of [b.start, b.end]) {
      if (typeof t?.dateTime !== 'string' || typeof t.timeZone !== 'string') {
        return graphError(400, 'ErrorPropertyValidationFailure', 'At least one property failed validation.');
      }
      if (!knownZone(t.timeZone)) {
        return graphError(
          400,
          'TimeZoneNotSupportedException',
          `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${t.timeZone}'.`,
        );
      }
      const local = t.dateTime;
      if (Number.isNaN(Date.parse(`${local.slice(0, 19)}Z`))) {
        return graphError(
          400,
          'BadRequest',
          `Cannot convert the literal '${local}' to the expected type 'Edm.DateTimeOffset'.`,
        );
      }
      times.push(
        b.isAllDay === true ? Date.parse(`${local.slice(0, 10)}T00:00:00Z`) : fromWallTime(local, t.timeZone),
      );
      if (b.isAllDay === true && !local.slice(11).startsWith('00:00:00')) {
        return graphError(
          400,
          'ErrorPropertyValidationFailure',
          'All-day events must start and end at midnight.',
        );
      }
    }
    const [start, end] = times as [number, number];
    if (end < start)
      return graphError(400, 'ErrorInvalidRequest', 'The end time must be after the start time.');
    const e = addEvent({
      subject: typeof b.subject === 'string' ? b.subject : '',
      bodyPreview: typeof b.body?.content === 'string' ? b.body.content.slice(0, 255) : '',
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      timeZone: b.start?.timeZone as string,
      isAllDay: b.isAllDay === true,
      showAs: 'busy',
      location: typeof b.location?.displayName === 'string' ? b.location.displayName : '',
      attendees: (b.attendees ?? []).flatMap((a) =>
        typeof a.emailAddress?.address === 'string'
          ? [{ address: a.emailAddress.address, name: a.emailAddress.address, response: 'none' }]
          : [],
      ),
    });
    return reply(201, {
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${user.id}')/events/$entity`,
      ...eventJson(e, wantsUtc(req)),
    });
  };

  const sendMail = (req: FakeRequest): FakeReply => {
    const b = parseBody(req) as
      | { message?: { subject?: unknown; toRecipients?: { emailAddress?: { address?: unknown } }[] } }
      | undefined;
    if (!b?.message) return graphError(400, 'ErrorInvalidRequest', 'The message is missing.');
    const to = b.message.toRecipients ?? [];
    if (to.length === 0) {
      return graphError(
        400,
        'ErrorInvalidRecipients',
        "At least one recipient is not valid., A message can't be sent because it contains no recipients.",
      );
    }
    const bad = to.find(
      (r) => typeof r.emailAddress?.address !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(r.emailAddress.address),
    );
    if (bad) {
      return graphError(
        400,
        'ErrorInvalidRecipients',
        `At least one recipient is not valid., Recipient '${String(bad.emailAddress?.address)}' is not resolved. All recipients must be resolved before a message can be submitted.`,
      );
    }
    sentMail.push(b);
    return reply(202);
  };

  const graph = (req: FakeRequest): FakeReply => {
    graphCalls.push({ path: req.path, query: req.query.toString() });
    const armed = fault;
    fault = undefined;
    if (armed?.kind === 'refuse') return graphError(403, 'ErrorAccessDenied', REFUSAL_MESSAGE);
    if (armed?.kind === 'down')
      return graphError(500, 'generalException', 'An unspecified error has occurred.');
    if (armed?.kind === 'throttle_503') {
      return graphError(
        503,
        'serviceNotAvailable',
        'Service is temporarily unavailable. Please try again later.',
        {
          'retry-after': String(armed.retryAfter),
        },
      );
    }
    if (armed?.kind === 'rate_limit') {
      // https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits
      return graphError(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
        'retry-after': String(armed.retryAfter),
      });
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const scopes = bearer ? tokens.get(bearer) : undefined;
    if (!scopes) {
      return graphError(
        401,
        'InvalidAuthenticationToken',
        bearer ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.',
      );
    }
    const route = `${req.method} ${req.path.replace(/^\/v1\.0/, '')}`;
    switch (route) {
      case 'GET /me':
        return reply(200, {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
          ...user,
          userPrincipalName: user.mail,
        });
      case 'GET /organization':
        return reply(200, {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#organization',
          value: [{ id: tenantId, displayName: 'Contoso' }],
        });
      case 'GET /me/mailFolders/inbox/messages/delta': {
        const refused = requireScope(scopes, ['Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite']);
        if (refused) return refused;
        const st = deltaState(req);
        if ('status' in st) return st;
        return deltaAnswer(req, messages, st, (m) => m.folder === 'inbox', messageJson);
      }
      case 'GET /me/calendarView/delta': {
        const refused = requireScope(scopes, ['Calendars.Read', 'Calendars.ReadWrite']);
        if (refused) return refused;
        const fresh = req.query.get('$skiptoken') === null && req.query.get('$deltatoken') === null;
        const w = fresh ? windowOf(req) : undefined;
        if (w && 'status' in w) return w;
        const st = deltaState(req, w);
        if ('status' in st) return st;
        const range = st.w as [string, string];
        return deltaAnswer(
          req,
          events,
          st,
          (e) => overlaps(e, range),
          (e) => eventJson(e, wantsUtc(req)),
        );
      }
      case 'GET /me/calendarView': {
        const refused = requireScope(scopes, ['Calendars.Read', 'Calendars.ReadWrite']);
        if (refused) return refused;
        const w = windowOf(req);
        if ('status' in w) return w;
        const top = Number(req.query.get('$top') ?? 10);
        const skip = Number(req.query.get('$skip') ?? 0);
        const live = [...events.values()]
          .filter((t) => !t.deleted && overlaps(t.item, w))
          .map((t) => t.item)
          .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
        const more = skip + top < live.length;
        const next = new URLSearchParams(req.query);
        next.set('$skip', String(skip + top));
        return reply(200, {
          '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${user.id}')/calendarView`,
          value: live.slice(skip, skip + top).map((e) => eventJson(e, wantsUtc(req))),
          ...(more ? { '@odata.nextLink': `${origin}${req.path}?${next}` } : {}),
        });
      }
      case 'POST /me/events': {
        const refused = requireScope(scopes, ['Calendars.ReadWrite']);
        return refused ?? createEvent(req);
      }
      case 'POST /me/sendMail': {
        const refused = requireScope(scopes, ['Mail.Send']);
        return refused ?? sendMail(req);
      }
      default:
        return graphError(
          400,
          'BadRequest',
          `Resource not found for the segment '${req.path.split('/').at(-1) ?? ''}'.`,
        );
    }
  };

  const server = await startFakeServer(
    (req) =>
      req.path.startsWith('/v1.0/')
        ? graph(req)
        : reply(404, '<html><body>404 - Not Found</body></html>', { 'content-type': 'text/html' }),
    graphError(503, 'serviceNotAvailable', 'Service Unavailable'),
  );
  origin = server.url;

  return {
    ...server,
    ...outbox.controls,
    apiBaseUrl: `${server.url}/v1.0`,
    valid: registerSecrets({ type: 'oauth2', access_token: valid }),
    readOnly: registerSecrets({ type: 'oauth2', access_token: readOnly }),
    account: { id: user.id, name: user.displayName },
    tenantId,
    refusalMessage: REFUSAL_MESSAGE,
    addMessage,
    seedMessages: (n, o = {}) => Array.from({ length: n }, () => addMessage(o).id),
    updateMessage: (id, o) => {
      const t = known(messages, id);
      Object.assign(t.item, o);
      t.seq = ++seq;
      changed('message', 'updated', id);
    },
    deleteMessage: (id) => {
      const t = known(messages, id);
      t.deleted = true;
      t.seq = ++seq;
      changed('message', 'deleted', id);
    },
    messages: (folder = 'inbox') =>
      [...messages.values()].filter((t) => !t.deleted && t.item.folder === folder).map((t) => t.item),
    addEvent,
    seedEvents: (n, o = {}) => Array.from({ length: n }, () => addEvent(o).id),
    updateEvent: (id, o) => {
      const t = known(events, id);
      Object.assign(t.item, o, { lastModifiedDateTime: new Date().toISOString() });
      t.seq = ++seq;
      changed('event', 'updated', id);
    },
    deleteEvent: (id) => {
      const t = known(events, id);
      t.deleted = true;
      t.seq = ++seq;
      changed('event', 'deleted', id);
    },
    events: () => [...events.values()].filter((t) => !t.deleted).map((t) => t.item),
    sentMail,
    expireDeltaTokens: () => {
      epoch++;
    },
    graphCalls,
    failNext: (kind, retryAfterSeconds = 30) => {
      fault = { kind, retryAfter: retryAfterSeconds };
    },
    registerWebhook: async (url, clientState, o = {}) => {
      // https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notificationurl-validation
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
      const target = new URL(url);
      target.searchParams.set('validationToken', token);
      const d = await outbox.send(
        { url: target.toString(), headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '' },
        10_000,
      );
      if (d.status !== 200 || d.response !== token) {
        throw new Error(
          `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (got ${d.status}).`,
        );
      }
      const expires = new Date(Date.now() + 3 * DAY).toISOString();
      for (const resource of o.resources ?? ['me/messages', 'me/events']) {
        subscriptions.push({ id: randomUUID(), resource, url, clientState, expires });
      }
    },
    lifecycle: (lifecycleEvent) => {
      for (const s of subscriptions) notify(s.url, [{ ...base(s), lifecycleEvent }]);
    },
  };
};
