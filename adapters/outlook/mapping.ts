import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { isoOf } from '../microsoft-teams/graph';
import { type CalendarEvent, calendarEvent, type Message, message } from '../models';
import type { SyncRecord } from '../types';
import { utcInstant } from './graph';

/**
 * Graph's event and message resources, as far as the mapping reads them, and their mapping
 * to `calendar_event` and `message`. Everything but the id is optional: a deleted item in a
 * delta page carries its id and `@removed` only.
 * https://learn.microsoft.com/en-us/graph/api/resources/event
 * https://learn.microsoft.com/en-us/graph/api/resources/message
 */

const text = z.optional(z.nullable(z.string()));
const emailAddress = z.optional(
  z.nullable(z.object({ emailAddress: z.optional(z.nullable(z.object({ name: text, address: text }))) })),
);
/** `dateTimeTimeZone`: a wall time and the zone it is in (UTC, as we ask: graph.ts UTC_PREFER). */
const dateTimeTimeZone = z.optional(z.nullable(z.object({ dateTime: z.string(), timeZone: text })));

export const graphEvent = z.object({
  id: z.string().check(z.minLength(1)),
  '@removed': z.optional(z.object({ reason: z.optional(z.string()) })),
  subject: text,
  bodyPreview: text,
  start: dateTimeTimeZone,
  end: dateTimeTimeZone,
  isAllDay: z.optional(z.nullable(z.boolean())),
  isCancelled: z.optional(z.nullable(z.boolean())),
  showAs: text,
  location: z.optional(z.nullable(z.object({ displayName: text }))),
  organizer: emailAddress,
  attendees: z.optional(
    z.nullable(
      z.array(
        z.object({
          emailAddress: z.optional(z.nullable(z.object({ name: text, address: text }))),
          status: z.optional(z.nullable(z.object({ response: text }))),
        }),
      ),
    ),
  ),
  webLink: text,
  createdDateTime: text,
  lastModifiedDateTime: text,
});
export type GraphEvent = z.infer<typeof graphEvent>;

export const graphMessage = z.object({
  id: z.string().check(z.minLength(1)),
  '@removed': z.optional(z.object({ reason: z.optional(z.string()) })),
  subject: text,
  bodyPreview: text,
  from: emailAddress,
  toRecipients: z.optional(z.nullable(z.array(emailAddress))),
  ccRecipients: z.optional(z.nullable(z.array(emailAddress))),
  conversationId: text,
  webLink: text,
  receivedDateTime: text,
  createdDateTime: text,
});
export type GraphMessage = z.infer<typeof graphMessage>;

/** Record ids: Graph ids are unique per mailbox, and a connection is one mailbox. */
export const eventRecordId = (id: string): string => `outlook_event_${id}`;
export const messageRecordId = (id: string): string => `outlook_message_${id}`;

/**
 * The calendar every event of ours comes from: the user's default calendar (`/me/calendar`,
 * what `/me/calendarView` and `POST /me/events` use).
 */
export const DEFAULT_CALENDAR = 'calendar';

const unmappable = (what: string): ProviderError =>
  new ProviderError(
    'unreachable',
    `Microsoft Graph answered ${what} with data that does not map to its model.`,
  );

const eventTime = (t: { dateTime: string } | null | undefined, allDay: boolean): string | undefined => {
  if (!t) return undefined;
  // All-day events run midnight to midnight of their days: the day is what they mean.
  return allDay ? t.dateTime.slice(0, 10) : utcInstant(t.dateTime);
};

export const mapEvent = (e: GraphEvent): { id: string } & CalendarEvent => {
  const id = eventRecordId(e.id);
  const allDay = e.isAllDay ?? false;
  const r = calendarEvent.safeParse({
    title: e.subject ?? '',
    // The body is HTML more often than not; its preview is the text of it.
    description: e.bodyPreview || null,
    status: e.isCancelled ? 'cancelled' : e.showAs === 'tentative' ? 'tentative' : 'confirmed',
    start: eventTime(e.start, allDay),
    end: eventTime(e.end, allDay),
    all_day: allDay,
    location: e.location?.displayName || null,
    organizer: e.organizer?.emailAddress?.address || null,
    // A room or a removed account may come without an address: nothing to name.
    attendees: (e.attendees ?? []).flatMap((a) =>
      a.emailAddress?.address
        ? [{ email: a.emailAddress.address, response_status: a.status?.response ?? null }]
        : [],
    ),
    url: e.webLink ?? null,
    calendar: DEFAULT_CALENDAR,
    created_at: isoOf(e.createdDateTime),
    updated_at: isoOf(e.lastModifiedDateTime),
  });
  if (!r.success) throw unmappable(`event ${id}`);
  return { id, ...r.data };
};

export const eventRecord = (e: GraphEvent): SyncRecord => {
  const { id, ...data } = mapEvent(e);
  return { id, data };
};

const addressesOf = (list: z.infer<typeof emailAddress>[] | null | undefined): string[] =>
  (list ?? []).flatMap((r) => (r?.emailAddress?.address ? [r.emailAddress.address] : []));

/** `channel`: the folder the message was read from (the sync reads the Inbox). */
export const mapMessage = (m: GraphMessage, folder: string): { id: string } & Message => {
  const id = messageRecordId(m.id);
  const r = message.safeParse({
    text: m.bodyPreview ?? '',
    subject: m.subject ?? null,
    recipients: [...addressesOf(m.toRecipients), ...addressesOf(m.ccRecipients)],
    channel: folder,
    author: m.from?.emailAddress?.address || m.from?.emailAddress?.name || null,
    url: m.webLink ?? null,
    thread_id: m.conversationId ?? null,
    created_at: isoOf(m.receivedDateTime ?? m.createdDateTime),
  });
  if (!r.success) throw unmappable(`message ${id}`);
  return { id, ...r.data };
};

export const messageRecord = (m: GraphMessage, folder: string): SyncRecord => {
  const { id, ...data } = mapMessage(m, folder);
  return { id, data };
};
