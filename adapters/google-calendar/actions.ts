import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf } from '../types';
import { googleEvent, isCancelled, mapEvent } from './event';
import { type createEventInput, isDay, type listEventsInput, type manifest } from './manifest';
import { callApi, eventsUrl, failure } from './rest';

const DEFAULT_CALENDAR = 'primary';
const DEFAULT_PAGE_SIZE = 50;

const eventsAnswer = z.object({
  items: z.optional(z.array(googleEvent)),
  nextPageToken: z.optional(z.string()),
});

const eventTime = (value: string, timeZone: string | undefined) =>
  isDay(value) ? { date: value } : { dateTime: value, ...(timeZone ? { timeZone } : {}) };

/**
 * Creates an event: all-day when start and end are dates (the end day exclusive, as Google
 * has it), else timed, in `time_zone` when given. Google answers the event it made.
 * https://developers.google.com/workspace/calendar/api/v3/reference/events/insert
 */
const createEvent = async (ctx: ActionContext, input: z.infer<typeof createEventInput>) => {
  const calendarId = input.calendar_id ?? DEFAULT_CALENDAR;
  const q = new URLSearchParams();
  if (input.send_updates) q.set('sendUpdates', input.send_updates);
  const res = await callApi(ctx, eventsUrl(ctx.baseUrl, calendarId, q.size > 0 ? q : undefined), {
    method: 'POST',
    body: {
      summary: input.summary,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.location !== undefined ? { location: input.location } : {}),
      start: eventTime(input.start, input.time_zone),
      end: eventTime(input.end, input.time_zone),
      ...(input.attendees ? { attendees: input.attendees.map((email) => ({ email })) } : {}),
    },
  });
  if (res.status !== 200) throw failure(res);
  const created = parseAnswer('Google Calendar', googleEvent, res, 'POST /calendars/{calendarId}/events');
  return { event: mapEvent(calendarId, created) };
};

/**
 * Events overlapping [time_min, time_max), recurring ones expanded into their occurrences
 * (`singleEvents=true`, which `orderBy=startTime` needs), soonest first; `cursor` is Google's
 * page token.
 * https://developers.google.com/workspace/calendar/api/v3/reference/events/list
 */
const listEvents = async (ctx: ActionContext, input: z.infer<typeof listEventsInput>) => {
  const calendarId = input.calendar_id ?? DEFAULT_CALENDAR;
  const q = new URLSearchParams({
    singleEvents: 'true',
    orderBy: 'startTime',
    maxResults: String(input.limit ?? DEFAULT_PAGE_SIZE),
  });
  if (input.time_min) q.set('timeMin', input.time_min);
  if (input.time_max) q.set('timeMax', input.time_max);
  if (input.q) q.set('q', input.q);
  if (input.cursor) q.set('pageToken', input.cursor);
  const res = await callApi(ctx, eventsUrl(ctx.baseUrl, calendarId, q));
  if (res.status !== 200) throw failure(res);
  const answer = parseAnswer('Google Calendar', eventsAnswer, res, 'GET /calendars/{calendarId}/events');
  return {
    events: (answer.items ?? []).filter((e) => !isCancelled(e)).map((e) => mapEvent(calendarId, e)),
    next_cursor: answer.nextPageToken ?? null,
  };
};

export const actions: ActionsOf<typeof manifest> = { create_event: createEvent, list_events: listEvents };
