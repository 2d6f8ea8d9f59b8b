import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

const dateTime = z.iso.datetime({ offset: true });
/** `yyyy-mm-dd`: an all-day event's day (Google's `date`), as opposed to a date-time. */
export const isDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);
/** A date-time with its offset, or a day (`yyyy-mm-dd`) for all-day events. */
const when = z.union([dateTime, z.iso.date()]);
const calendarId = z
  .string()
  .check(z.minLength(1), z.describe('Calendar id (an e-mail address, or "primary"); default primary'));

export const createEventInput = z
  .object({
    calendar_id: z.optional(calendarId),
    summary: z.string().check(z.minLength(1), z.describe('Title')),
    description: z.optional(z.string()),
    location: z.optional(z.string()),
    start: when.check(z.describe('ISO date-time with offset, or yyyy-mm-dd for an all-day event')),
    end: when.check(
      z.describe('ISO date-time with offset, or yyyy-mm-dd for an all-day event (exclusive: the day after)'),
    ),
    time_zone: z.optional(
      z.string().check(z.minLength(1), z.describe('IANA time zone of the event, e.g. Europe/Berlin')),
    ),
    attendees: z.optional(z.array(z.email()).check(z.describe('E-mail addresses to invite'))),
    send_updates: z.optional(
      z
        .enum(['all', 'externalOnly', 'none'])
        .check(z.describe('Whom Google e-mails the invitation; default none')),
    ),
  })
  .check(
    z.refine((v) => isDay(v.start) === isDay(v.end), {
      message: 'start and end must both be dates (an all-day event) or both date-times',
      path: ['end'],
    }),
  );

export const listEventsInput = z.object({
  calendar_id: z.optional(calendarId),
  time_min: z.optional(dateTime.check(z.describe('Events ending after this instant'))),
  time_max: z.optional(dateTime.check(z.describe('Events starting before this instant'))),
  q: z.optional(
    z.string().check(z.minLength(1), z.describe('Free text: summary, description, location, attendees')),
  ),
  limit: z.optional(z.int().check(z.minimum(1), z.maximum(2500), z.describe('Page size; default 50'))),
  cursor: z.optional(z.string().check(z.minLength(1), z.describe('next_cursor of the previous page'))),
});

export const manifest = defineManifest({
  name: 'google_calendar',
  displayName: 'Google Calendar',
  categories: ['calendar'],
  curated: true,
  docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference',
  apiBaseUrl: 'https://www.googleapis.com/calendar/v3',
  hosts: ['www.googleapis.com', 'oauth2.googleapis.com', 'accounts.google.com'],
  auth: {
    oauth2: {
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      defaultScopes: [
        'https://www.googleapis.com/auth/calendar.readonly',
        'https://www.googleapis.com/auth/calendar.events',
      ],
      // https://developers.google.com/workspace/calendar/api/auth
      scopeDescriptions: {
        'https://www.googleapis.com/auth/calendar.readonly': 'See and download any calendar you can access',
        'https://www.googleapis.com/auth/calendar.events': 'View and edit events on all your calendars',
      },
      scopeSeparator: ' ',
      // code_challenge_method S256 (recommended) on the web server flow.
      // https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
      pkce: true,
      // Refresh tokens come only with access_type=offline, and only when the consent screen
      // shows: prompt=consent shows it every time, so a second connection of the same Google
      // user (or a reconnect after the first was deleted) gets a refresh token too.
      // https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
      authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
      refreshes: true,
      // Google answers a refresh of a revoked grant (the user removed the app at
      // myaccount.google.com, or the app revoked it) with this one message; it says the same
      // for the rarer expiries (six months unused, Testing-mode apps after 7 days).
      // https://developers.google.com/identity/protocols/oauth2#expiration
      revokedGrant: ['Token has been expired or revoked'],
      docsUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
    },
  },
  // https://developers.google.com/identity/protocols/oauth2/web-server#callinganapi
  proxy: { headers: { oauth2: { authorization: 'Bearer {access_token}' } } },
  config,
  syncs: [
    defineSync({
      name: 'events',
      model: 'calendar_event',
      description:
        'Events of the configured calendars (default: primary), recurring ones once; incremental with Google sync tokens, deletions included.',
      defaultFrequency: '15m',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'create_event',
      description:
        'Create an event in a calendar (default: primary); all-day when start and end are dates. Optionally invite attendees and have Google e-mail them (send_updates).',
      writes: true,
      input: createEventInput,
      projectField: 'calendar_id',
    }),
    defineAction({
      name: 'list_events',
      description:
        'List events overlapping a time range, recurring ones expanded into occurrences, soonest first; optional free-text search.',
      writes: false,
      input: listEventsInput,
      projectField: 'calendar_id',
    }),
  ],
  webhooks: {
    events: ['sync', 'exists', 'not_exists'],
    signature: { scheme: 'shared_token', header: 'x-goog-channel-token' },
    docsUrl: 'https://developers.google.com/workspace/calendar/api/guides/push',
  },
});
