import type { ProviderName } from './manifests';
import type { ProviderManifest } from './types';

/**
 * THE config-schema registry, one line per provider: each provider's connection config schema
 * (adapters/<provider>/config.ts, zod only), the very object its manifest declares as `config`
 * (the manifest imports it from there; test/unit/manifests.test.ts checks they are one).
 *
 * For PATCH /v1/connections/{id}, which validates a new config and reads nothing else of the
 * manifest: a manifest builds every action's input schema when loaded, and its registry is a
 * line per provider on top of the description registry the handler has anyway; a config
 * module is a few schemas. Each file is a chunk of its own in the split bundle
 * (lib/bundling.ts). Keyed by every provider name, so a provider added to the manifests
 * without a line here is a type error.
 */
const configModules = {
  github: () => import('./github/config'),
  gitlab: () => import('./gitlab/config'),
  jira: () => import('./jira/config'),
  linear: () => import('./linear/config'),
  clickup: () => import('./clickup/config'),
  slack: () => import('./slack/config'),
  microsoft_teams: () => import('./microsoft-teams/config'),
  google_calendar: () => import('./google-calendar/config'),
  datadog: () => import('./datadog/config'),
  sonarcloud: () => import('./sonarcloud/config'),
  bitbucket: () => import('./bitbucket/config'),
  resend: () => import('./resend/config'),
  figma: () => import('./figma/config'),
  azure_devops: () => import('./azure-devops/config'),
  azure_boards: () => import('./azure-boards/config'),
  notion: () => import('./notion/config'),
  stripe: () => import('./stripe/config'),
  outlook: () => import('./outlook/config'),
  gmail: () => import('./gmail/config'),
  csv: () => import('./csv/config'),
} satisfies Record<ProviderName, () => Promise<{ config: ProviderManifest['config'] }>>;

/**
 * Checked against this registry, not adapters/manifests.ts: a handler that validates configs
 * must not keep the manifests' loaders (and with them every manifest chunk).
 */
const hasConfig = (name: string): name is ProviderName => Object.hasOwn(configModules, name);

/** One provider's connection config schema; undefined for a name that is no provider's. */
export const loadConfigSchema = async (name: string): Promise<ProviderManifest['config'] | undefined> =>
  hasConfig(name) ? (await configModules[name]()).config : undefined;
