import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type CalendarEvent, calendarEvent } from '../models';
import type { SyncRecord } from '../types';

/**
 * Google's Event resource, as far as the mapping reads it. Cancelled (deleted) events carry
 * little more than their id, so nearly everything is optional.
 * https://developers.google.com/workspace/calendar/api/v3/reference/events#resource
 */
const eventTime = z.object({
  /** All-day events: `yyyy-mm-dd` (the end is exclusive). */
  date: z.optional(z.string()),
  /** RFC 3339 with an offset. */
  dateTime: z.optional(z.string()),
  timeZone: z.optional(z.string()),
});

export const googleEvent = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.optional(z.string()),
  summary: z.optional(z.string()),
  description: z.optional(z.string()),
  location: z.optional(z.string()),
  htmlLink: z.optional(z.string()),
  created: z.optional(z.string()),
  updated: z.optional(z.string()),
  start: z.optional(eventTime),
  end: z.optional(eventTime),
  organizer: z.optional(z.object({ email: z.optional(z.string()) })),
  attendees: z.optional(
    z.array(z.object({ email: z.optional(z.string()), responseStatus: z.optional(z.string()) })),
  ),
});
export type GoogleEvent = z.infer<typeof googleEvent>;

/**
 * Our id of an event: calendar and event id, as configured (`primary` stays `primary`), so
 * ids are stable as long as the connection's calendars are. Event ids are unique within
 * their calendar only; instances of recurring events are `<id>_<start>`.
 */
export const eventRecordId = (calendarId: string, eventId: string): string =>
  `gcal_event_${calendarId}_${eventId}`;

/** A cancelled event is a deleted one (Google keeps it as a tombstone for syncs). */
export const isCancelled = (e: GoogleEvent): boolean => e.status === 'cancelled';

const statuses = new Set<string>(['confirmed', 'tentative', 'cancelled']);

const isoOrNull = (value: string | undefined): string | null => {
  if (value === undefined) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** An event mapped to `calendar_event` (checked against it: a mapping bug must not reach records). */
export const mapEvent = (calendarId: string, e: GoogleEvent): { id: string } & CalendarEvent => {
  const id = eventRecordId(calendarId, e.id);
  const start = e.start?.dateTime ?? e.start?.date;
  const end = e.end?.dateTime ?? e.end?.date;
  const r = calendarEvent.safeParse({
    title: e.summary ?? '',
    description: e.description ?? null,
    // Absent means confirmed, Google's default.
    status: e.status && statuses.has(e.status) ? e.status : 'confirmed',
    start,
    end,
    all_day: e.start?.dateTime === undefined && e.start?.date !== undefined,
    location: e.location ?? null,
    organizer: e.organizer?.email ?? null,
    // Google may list an attendee without an address (a removed account): nothing to name.
    attendees: (e.attendees ?? []).flatMap((a) =>
      a.email ? [{ email: a.email, response_status: a.responseStatus ?? null }] : [],
    ),
    url: e.htmlLink ?? null,
    calendar: calendarId,
    created_at: isoOrNull(e.created),
    updated_at: isoOrNull(e.updated),
  });
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Google Calendar answered event ${id} with data that does not map.`,
    );
  }
  return { id, ...r.data };
};

export const eventRecord = (calendarId: string, e: GoogleEvent): SyncRecord => {
  const { id, ...data } = mapEvent(calendarId, e);
  return { id, data };
};
