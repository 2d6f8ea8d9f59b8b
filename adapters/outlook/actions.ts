import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionsOf, InputOf } from '../types';
import { callGraph, failure, UTC_PREFER } from './graph';
import { isDay, type manifest } from './manifest';
import { graphEvent, mapEvent } from './mapping';

type Ctx = Parameters<ActionsOf<typeof manifest>['send_email']>[0];

const DEFAULT_PAGE_SIZE = 50;

const recipients = (addresses: string[]) => addresses.map((address) => ({ emailAddress: { address } }));

/**
 * Sends a mail as the signed-in user, kept in Sent Items. Graph answers 202 Accepted with no
 * body: the mail is queued for delivery, it has no id yet.
 * https://learn.microsoft.com/en-us/graph/api/user-sendmail
 */
const sendEmail = async (ctx: Ctx, input: InputOf<typeof manifest, 'send_email'>) => {
  const res = await callGraph(ctx, `${ctx.baseUrl}/me/sendMail`, {
    method: 'POST',
    body: {
      message: {
        subject: input.subject,
        body: { contentType: input.content_type === 'html' ? 'HTML' : 'Text', content: input.body },
        toRecipients: recipients(input.to),
        ...(input.cc && input.cc.length > 0 ? { ccRecipients: recipients(input.cc) } : {}),
      },
      saveToSentItems: true,
    },
  });
  if (res.status !== 202) throw failure(res);
  return { sent: true, to: input.to, cc: input.cc ?? [], subject: input.subject };
};

/**
 * The wall time of `instant` in `timeZone` (`2025-04-10T14:00:00`): what Graph's
 * `dateTimeTimeZone` holds, read in the zone it names.
 */
export const wallTime = (instant: string, timeZone: string): string => {
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
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
};

/**
 * Creates an event in the default calendar. Times go as Graph wants them — a wall time and
 * the IANA zone it is in (Graph takes IANA names beside Windows ones) — so the event lives in
 * `time_zone` (its recurrences and the attendees' views follow that zone), default UTC. An
 * all-day event runs from midnight of its first day to midnight after its last. Graph
 * answers 201 with the event; its times in UTC, as asked, map like the sync's.
 * https://learn.microsoft.com/en-us/graph/api/user-post-events
 * https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone
 */
const createEvent = async (ctx: Ctx, input: InputOf<typeof manifest, 'create_event'>) => {
  const timeZone = input.time_zone ?? 'UTC';
  const allDay = isDay(input.start);
  const at = (value: string) => ({
    dateTime: allDay ? `${value}T00:00:00` : wallTime(value, timeZone),
    timeZone,
  });
  const res = await callGraph(ctx, `${ctx.baseUrl}/me/events`, {
    method: 'POST',
    headers: { prefer: UTC_PREFER },
    body: {
      subject: input.subject,
      ...(input.body !== undefined ? { body: { contentType: 'Text', content: input.body } } : {}),
      start: at(input.start),
      end: at(input.end),
      isAllDay: allDay,
      ...(input.location !== undefined ? { location: { displayName: input.location } } : {}),
      ...(input.attendees
        ? {
            attendees: input.attendees.map((address) => ({ emailAddress: { address }, type: 'required' })),
          }
        : {}),
    },
  });
  if (res.status !== 201) throw failure(res);
  return { event: mapEvent(parseAnswer('Microsoft Graph', graphEvent, res, 'POST /me/events')) };
};

const eventsPage = z.object({
  value: z.array(graphEvent),
  '@odata.nextLink': z.optional(z.nullable(z.string())),
});

/**
 * Events of the default calendar overlapping [start, end), recurring ones as their
 * occurrences, soonest first. `cursor` is the number of events already listed (`$skip`):
 * Graph's nextLink is a URL we would have to trust the caller with.
 * https://learn.microsoft.com/en-us/graph/api/user-list-calendarview
 */
const listEvents = async (ctx: Ctx, input: InputOf<typeof manifest, 'list_events'>) => {
  const top = input.limit ?? DEFAULT_PAGE_SIZE;
  const skip = Number(input.cursor ?? 0);
  const q = new URLSearchParams({
    startDateTime: new Date(input.start).toISOString(),
    endDateTime: new Date(input.end).toISOString(),
    $orderby: 'start/dateTime',
    $top: String(top),
  });
  if (skip > 0) q.set('$skip', String(skip));
  const res = await callGraph(ctx, `${ctx.baseUrl}/me/calendarView?${q}`, {
    headers: { prefer: UTC_PREFER },
  });
  if (res.status !== 200) throw failure(res);
  const page = parseAnswer('Microsoft Graph', eventsPage, res, 'GET /me/calendarView');
  return {
    events: page.value.map(mapEvent),
    next_cursor: page['@odata.nextLink'] ? String(skip + page.value.length) : null,
  };
};

export const actions: ActionsOf<typeof manifest> = {
  send_email: sendEmail,
  create_event: createEvent,
  list_events: listEvents,
};
