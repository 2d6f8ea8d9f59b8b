import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

const dateTime = z.iso.datetime({ offset: true });

export const manifest: ProviderManifest = {
  name: 'google_calendar',
  displayName: 'Google Calendar',
  categories: ['calendar'],
  curated: true,
  docsUrl: 'https://developers.google.com/workspace/calendar/api/v3/reference',
  apiBaseUrl: 'https://www.googleapis.com/calendar/v3',
  auth: {
    oauth2: {
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      defaultScopes: [
        'https://www.googleapis.com/auth/calendar.readonly',
        'https://www.googleapis.com/auth/calendar.events',
      ],
      scopeSeparator: ' ',
      pkce: true,
      // Refresh tokens come only with access_type=offline, and only when the consent screen
      // shows: prompt=consent shows it every time, so a second connection of the same Google
      // user (or a reconnect after the first was deleted) gets a refresh token too.
      // https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
      authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
      refreshes: true,
      docsUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
    },
  },
  config: z.object({ calendars: z.optional(z.array(z.string().check(z.minLength(1)))) }),
  syncs: [
    {
      name: 'events',
      model: 'calendar_event',
      description: 'Events of every calendar (incremental with syncToken; 410 restarts a full sync).',
      defaultFrequency: '15m',
      incremental: true,
    },
  ],
  actions: [
    {
      name: 'create_event',
      description: 'Create an event.',
      writes: true,
      input: z.object({
        calendar_id: z.optional(z.string()),
        summary: z.string().check(z.minLength(1)),
        description: z.optional(z.string()),
        start: dateTime,
        end: dateTime,
        attendees: z.optional(z.array(z.email())),
      }),
    },
    {
      name: 'list_events',
      description: 'List events in a time range.',
      writes: false,
      input: z.object({
        calendar_id: z.optional(z.string()),
        time_min: z.optional(dateTime),
        time_max: z.optional(dateTime),
      }),
    },
  ],
  webhooks: {
    events: ['sync', 'exists', 'not_exists'],
    signature: { scheme: 'shared_token', header: 'x-goog-channel-token' },
    docsUrl: 'https://developers.google.com/workspace/calendar/api/guides/push',
  },
};
