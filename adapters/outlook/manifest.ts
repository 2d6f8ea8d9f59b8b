import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

const dateTime = z.iso.datetime({ offset: true });
/** `yyyy-mm-dd`: an all-day event's day, as opposed to a date-time. */
export const isDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);
/** A date-time with its offset, or a day (`yyyy-mm-dd`) for all-day events. */
const when = z.union([dateTime, z.iso.date()]);
const address = z.email();

export const sendEmailInput = z.object({
  to: z.array(address).check(z.minLength(1), z.maxLength(500), z.describe('Recipients (e-mail addresses)')),
  cc: z.optional(z.array(address).check(z.maxLength(500), z.describe('Copied recipients'))),
  subject: z.string().check(z.minLength(1), z.maxLength(255), z.describe('Subject line')),
  body: z.string().check(z.minLength(1), z.describe('The message body')),
  content_type: z.optional(z.enum(['text', 'html']).check(z.describe('How body is read; default text'))),
});

export const createEventInput = z
  .object({
    subject: z.string().check(z.minLength(1), z.maxLength(255), z.describe('Title')),
    body: z.optional(z.string().check(z.describe('Description'))),
    location: z.optional(z.string().check(z.minLength(1))),
    start: when.check(z.describe('ISO date-time with offset, or yyyy-mm-dd for an all-day event')),
    end: when.check(
      z.describe('ISO date-time with offset, or yyyy-mm-dd for an all-day event (exclusive: the day after)'),
    ),
    time_zone: z.optional(
      z
        .string()
        .check(
          z.minLength(1),
          z.maxLength(64),
          z.describe('IANA time zone the event is kept in, e.g. Europe/Berlin; default UTC'),
        ),
    ),
    attendees: z.optional(z.array(address).check(z.maxLength(500), z.describe('E-mail addresses to invite'))),
  })
  .check(
    z.refine((v) => isDay(v.start) === isDay(v.end), {
      message: 'start and end must both be dates (an all-day event) or both date-times',
      path: ['end'],
    }),
    z.refine((v) => Date.parse(v.start) < Date.parse(v.end), {
      message: 'end must come after start',
      path: ['end'],
    }),
    z.refine((v) => v.time_zone === undefined || isTimeZone(v.time_zone), {
      message: 'time_zone must be an IANA time zone name, e.g. Europe/Berlin',
      path: ['time_zone'],
    }),
  );

/** Whether the runtime knows the zone (Intl carries the IANA database). */
export const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

export const listEventsInput = z
  .object({
    start: dateTime.check(z.describe('Events ending after this instant')),
    end: dateTime.check(z.describe('Events starting before this instant')),
    limit: z.optional(z.int().check(z.minimum(1), z.maximum(100), z.describe('Page size; default 50'))),
    cursor: z.optional(
      z.string().check(z.regex(/^\d{1,6}$/), z.describe('next_cursor of the previous page')),
    ),
  })
  .check(
    z.refine((v) => Date.parse(v.start) < Date.parse(v.end), {
      message: 'end must come after start',
      path: ['end'],
    }),
  );

export const manifest = defineManifest({
  name: 'outlook',
  displayName: 'Outlook',
  categories: ['mail', 'calendar'],
  curated: true,
  docsUrl: 'https://learn.microsoft.com/en-us/graph/outlook-mail-concept-overview',
  apiBaseUrl: 'https://graph.microsoft.com/v1.0',
  hosts: [
    'graph.microsoft.com',
    'login.microsoftonline.com',
    // National clouds: US Government (L4, L5/DoD), China (21Vianet).
    'graph.microsoft.us',
    'dod-graph.microsoft.us',
    'login.microsoftonline.us',
    'microsoftgraph.chinacloudapi.cn',
    'login.chinacloudapi.cn',
  ],
  auth: {
    oauth2: {
      // `{tenant}` is the Entra tenant from connection config, `common` when absent (work,
      // school and personal Microsoft accounts alike).
      authorizationUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
      tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
      defaultScopes: ['offline_access', 'User.Read', 'Mail.Read', 'Mail.Send', 'Calendars.ReadWrite'],
      // https://learn.microsoft.com/en-us/graph/permissions-reference
      scopeDescriptions: {
        offline_access: 'Stay connected while you are away',
        'User.Read': 'Sign you in and read your profile',
        'Mail.Read': 'Read your mail',
        'Mail.Send': 'Send mail as you',
        'Calendars.ReadWrite': 'Have full access to your calendars',
      },
      scopeSeparator: ' ',
      // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#request-an-authorization-code
      pkce: true,
      refreshes: true,
      // https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
      revokedGrant: ['AADSTS50173'],
      docsUrl: 'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
    },
  },
  // https://learn.microsoft.com/en-us/graph/auth-v2-user#use-the-access-token-to-call-microsoft-graph
  proxy: { headers: { oauth2: { authorization: 'Bearer {access_token}' } } },
  config,
  syncs: [
    defineSync({
      name: 'calendar_events',
      model: 'calendar_event',
      description:
        'Events of the default calendar from 90 days back to a year ahead, recurring ones as occurrences; incremental with Graph delta links, deletions included.',
      defaultFrequency: '15m',
      incremental: true,
    }),
    defineSync({
      name: 'messages',
      model: 'message',
      description: 'Mail in the Inbox; incremental with Graph delta links, deletions and moves out included.',
      defaultFrequency: '15m',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'send_email',
      description: 'Send an e-mail as the connected user (saved to Sent Items).',
      writes: true,
      input: sendEmailInput,
    }),
    defineAction({
      name: 'create_event',
      description:
        'Create an event in the default calendar, kept in time_zone (default UTC); all-day when start and end are dates. Attendees get Outlook invitations.',
      writes: true,
      input: createEventInput,
    }),
    defineAction({
      name: 'list_events',
      description:
        'List events of the default calendar overlapping [start, end), recurring ones expanded into occurrences, soonest first.',
      writes: false,
      input: listEventsInput,
    }),
  ],
  // Change notifications of subscriptions to me/messages and me/events; `clientState` is the
  // integration's webhook secret.
  webhooks: {
    events: [
      'message.created',
      'message.updated',
      'message.deleted',
      'event.created',
      'event.updated',
      'event.deleted',
      'lifecycle.missed',
    ],
    signature: { scheme: 'graph_client_state', header: 'clientState' },
    docsUrl: 'https://learn.microsoft.com/en-us/graph/outlook-change-notifications-overview',
  },
});
