import * as z from 'zod/mini';
import type { ProviderManifest } from '../types';

/** Datadog's sites: each one is a separate installation at api.<site>. */
export const datadogSites = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ddog-gov.com',
] as const;

const monitorId = z.int().check(z.minimum(1), z.describe('Monitor id'));

export const manifest: ProviderManifest = {
  name: 'datadog',
  displayName: 'Datadog',
  categories: ['monitoring'],
  curated: true,
  docsUrl: 'https://docs.datadoghq.com/api/latest/',
  apiBaseUrl: 'https://api.datadoghq.com',
  auth: {
    // Reading needs both keys: the API key names the organization, the application key
    // the user (and so the permissions) the calls act as.
    api_key: {
      fields: [
        { name: 'api_key', label: 'API key', secret: true },
        { name: 'app_key', label: 'Application key', secret: true },
      ],
      docsUrl: 'https://docs.datadoghq.com/account_management/api-app-keys/',
    },
  },
  config: z.object({
    site: z.optional(
      z.enum(datadogSites).check(z.describe('Datadog site the organization lives on; default datadoghq.com')),
    ),
  }),
  // Monitors and SLOs are named queries with a target and a current state: the `metric`
  // model (name, query, value/threshold, status). Incidents are tracked work: `work_item`.
  syncs: [
    {
      name: 'monitors',
      model: 'metric',
      description:
        'Monitors as metric records: name, query, thresholds and overall state (OK, Warn, Alert, No Data).',
      defaultFrequency: '15m',
      incremental: false,
    },
    {
      name: 'slos',
      model: 'metric',
      description: 'Service level objectives as metric records: target, timeframe and current status.',
      defaultFrequency: '1h',
      incremental: false,
    },
    {
      name: 'incidents',
      model: 'work_item',
      description: 'Incidents as work items: title, severity, state, commander.',
      defaultFrequency: '15m',
      incremental: true,
    },
  ],
  actions: [
    {
      name: 'list_monitors',
      description: 'List monitors, optionally filtered by name or tags.',
      writes: false,
      input: z.object({
        name: z.optional(z.string().check(z.describe('Substring of the monitor name'))),
        tags: z.optional(z.array(z.string().check(z.minLength(1)))),
        page_size: z.optional(z.int().check(z.minimum(1), z.maximum(1000))),
      }),
    },
    {
      name: 'mute_monitor',
      description: 'Mute a monitor, for a scope and until a time if given.',
      writes: true,
      input: z.object({
        monitor_id: monitorId,
        scope: z.optional(z.string().check(z.minLength(1), z.describe('e.g. host:web-1'))),
        end: z.optional(z.iso.datetime({ offset: true }).check(z.describe('Unmute at this time'))),
      }),
    },
    {
      name: 'unmute_monitor',
      description: 'Unmute a monitor.',
      writes: true,
      input: z.object({ monitor_id: monitorId, scope: z.optional(z.string().check(z.minLength(1))) }),
    },
  ],
  // No webhooks: Datadog's webhook integration posts a payload template of the user's making
  // with custom headers and no signature, so there is no provider scheme to verify.
};
