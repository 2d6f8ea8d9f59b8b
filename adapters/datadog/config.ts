import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
/** Datadog's sites: each one is a separate installation at api.<site>. */
export const datadogSites = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ddog-gov.com',
] as const;

export const config = z.object({
  site: z.optional(
    z.enum(datadogSites).check(z.describe('Datadog site the organization lives on; default datadoghq.com')),
  ),
});
