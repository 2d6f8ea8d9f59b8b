import type { ProviderManifest } from './types';

/**
 * THE data registry: each provider's manifest (names, auth modes and settings, credential
 * fields, scopes, config schema, sync and action declarations with their input schemas,
 * webhook events and scheme), one line per provider. Read by the catalog and by every
 * handler that only describes providers; no provider code is reachable from here.
 *
 * Each manifest is its own module, imported when asked for: a handler that describes one
 * connection's provider loads that provider's manifest and no other (the deployed bundle is
 * split, lib/bundling.ts), so adding a provider grows none of them. The implementations
 * are the other registry, adapters/index.ts, loaded only where provider code runs.
 */
const manifestModules = {
  github: () => import('./github/manifest'),
  gitlab: () => import('./gitlab/manifest'),
  jira: () => import('./jira/manifest'),
  linear: () => import('./linear/manifest'),
  clickup: () => import('./clickup/manifest'),
  slack: () => import('./slack/manifest'),
  microsoft_teams: () => import('./microsoft-teams/manifest'),
  google_calendar: () => import('./google-calendar/manifest'),
  datadog: () => import('./datadog/manifest'),
  sonarcloud: () => import('./sonarcloud/manifest'),
  bitbucket: () => import('./bitbucket/manifest'),
  resend: () => import('./resend/manifest'),
  figma: () => import('./figma/manifest'),
  azure_devops: () => import('./azure-devops/manifest'),
  azure_boards: () => import('./azure-boards/manifest'),
  notion: () => import('./notion/manifest'),
  stripe: () => import('./stripe/manifest'),
  outlook: () => import('./outlook/manifest'),
  gmail: () => import('./gmail/manifest'),
  // Not a provider anyone connects to: the owner of the connections CSV imports write to.
  csv: () => import('./csv/manifest'),
} satisfies Record<string, () => Promise<{ manifest: ProviderManifest }>>;

export type ProviderName = keyof typeof manifestModules;

/**
 * Every provider's name, in registry order. Marked pure: a handler importing this module
 * without using the names must not keep the loaders (and with them every manifest chunk).
 */
export const providerNames = /* @__PURE__ */ Object.keys(manifestModules) as ProviderName[];

export const isProviderName = (name: string): name is ProviderName => Object.hasOwn(manifestModules, name);

/** One provider's manifest; undefined for a name that is no provider's. */
export const loadManifest = async (name: string): Promise<ProviderManifest | undefined> =>
  isProviderName(name) ? (await manifestModules[name]()).manifest : undefined;

/** Every provider's manifest, in registry order: for the catalog, which lists them all. */
export const loadManifests = (): Promise<ProviderManifest[]> =>
  Promise.all(providerNames.map(async (name) => (await manifestModules[name]()).manifest));
