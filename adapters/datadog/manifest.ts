import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

// The monitor's Datadog id, or its record id (`dd_monitor_123`) as list_monitors answers it.
const monitorId = z
  .union([z.int().check(z.minimum(1)), z.string().check(z.regex(/^(dd_monitor_)?[1-9]\d*$/))])
  .check(z.describe('Monitor id (123) or its record id (dd_monitor_123)'));
const tagList = z.array(z.string().check(z.minLength(1)));

export const listMonitorsInput = z.object({
  name: z.optional(z.string().check(z.minLength(1), z.describe('Substring of the monitor name'))),
  tags: z.optional(
    tagList.check(z.describe('Scope tags the monitor must cover, e.g. host:web-1 (all of them)')),
  ),
  monitor_tags: z.optional(
    tagList.check(
      z.describe('Tags on the monitor itself, e.g. service:checkout, team:payments (all of them)'),
    ),
  ),
  page_size: z.optional(z.int().check(z.minimum(1), z.maximum(1000), z.describe('Default 100'))),
  cursor: z.optional(z.string().check(z.regex(/^\d+$/), z.describe("The previous answer's next_cursor"))),
});

export const muteMonitorInput = z.object({
  monitor_id: monitorId,
  scope: z.optional(z.string().check(z.minLength(1), z.describe('Mute only these groups, e.g. host:web-1'))),
  end: z.optional(z.iso.datetime({ offset: true }).check(z.describe('Unmute at this time'))),
});

export const unmuteMonitorInput = z.object({
  monitor_id: monitorId,
  scope: z.optional(z.string().check(z.minLength(1), z.describe('Unmute only these groups'))),
  all_scopes: z.optional(z.boolean().check(z.describe('Clear every mute of the monitor, whole and scoped'))),
});

export const manifest = defineManifest({
  name: 'datadog',
  displayName: 'Datadog',
  categories: ['monitoring'],
  curated: true,
  docsUrl: 'https://docs.datadoghq.com/api/latest/',
  apiBaseUrl: 'https://api.datadoghq.com',
  hosts: [
    'datadoghq.com',
    '*.datadoghq.com',
    'datadoghq.eu',
    '*.datadoghq.eu',
    'ddog-gov.com',
    '*.ddog-gov.com',
  ],
  auth: {
    // Reading needs both keys: the API key names the organization, the application key
    // the user (and so the permissions) the calls act as.
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'API key',
          secret: true,
          help: 'In Datadog: Organization Settings → API Keys.',
        },
        {
          name: 'app_key',
          label: 'Application key',
          secret: true,
          help: 'In Datadog: Organization Settings → Application Keys (or Personal Settings → Application Keys).',
        },
      ],
      docsUrl: 'https://docs.datadoghq.com/account_management/api-app-keys/',
    },
  },
  // https://docs.datadoghq.com/api/latest/authentication/
  proxy: {
    headers: { api_key: { 'dd-api-key': '{api_key}', 'dd-application-key': '{app_key}' } },
  },
  config,
  // Monitors and SLOs are named queries with a target and a current state: the `metric`
  // model (name, status, value/target, tags). Incidents are tracked work: `work_item`.
  syncs: [
    defineSync({
      name: 'monitors',
      model: 'metric',
      description:
        'Monitors as metric records: name, tags, critical threshold and overall state (OK, Warn, Alert, No Data, or muted).',
      defaultFrequency: '15m',
      incremental: false,
    }),
    defineSync({
      name: 'slos',
      model: 'metric',
      description:
        'Service level objectives as metric records: name, tags and target of the primary timeframe.',
      defaultFrequency: '1h',
      incremental: false,
    }),
    defineSync({
      name: 'incidents',
      model: 'work_item',
      description:
        'Incidents as work items: title, state, severity, commander and customer impact; incremental by last change.',
      defaultFrequency: '15m',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_monitors',
      description: 'List monitors with their state, optionally filtered by name, scope tags or monitor tags.',
      writes: false,
      input: listMonitorsInput,
    }),
    defineAction({
      name: 'mute_monitor',
      description: 'Mute a monitor, for a scope and until a time if given.',
      writes: true,
      input: muteMonitorInput,
    }),
    defineAction({
      name: 'unmute_monitor',
      description: 'Unmute a monitor, or only a scope of it.',
      writes: true,
      input: unmuteMonitorInput,
    }),
  ],
  // Datadog's Webhooks integration signs nothing: the user sets a custom header carrying the
  // integration's webhook secret, and the payload template README "Datadog" gives (webhooks.ts).
  webhooks: {
    events: ['monitor.Triggered', 'monitor.Warn', 'monitor.Recovered', 'monitor.No Data'],
    signature: { scheme: 'shared_token', header: 'x-integrations-secret' },
    docsUrl: 'https://docs.datadoghq.com/integrations/webhooks/',
  },
});
