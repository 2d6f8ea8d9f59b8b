import { lazyRegistry } from './lazy-registry';
import type { Adapter } from './types';

/**
 * THE implementation registry: each provider's code (verify credentials, OAuth, syncs,
 * actions, webhooks), one line per provider, each imported only when a handler runs that
 * provider's code — the deployed bundle is split per provider (lib/bundling.ts), so one
 * invocation loads one provider. Handlers that only describe providers read
 * adapters/descriptions.ts (and PATCH a connection's config schema, adapters/configs.ts)
 * instead and never reach this module; those that connect, refresh, proxy or revoke read
 * adapters/accounts.ts, and tools adapters/toolsets.ts. Adding a provider is its folder plus
 * one line here and one in each of adapters/manifests.ts, adapters/accounts.ts,
 * adapters/toolsets.ts, adapters/descriptions.ts and adapters/configs.ts; lazyRegistry's type
 * refuses a provider with a manifest and no implementation, or the other way round.
 */
const implementations = lazyRegistry<Adapter>({
  github: async () => (await import('./github')).github,
  gitlab: async () => (await import('./gitlab')).gitlab,
  jira: async () => (await import('./jira')).jira,
  linear: async () => (await import('./linear')).linear,
  clickup: async () => (await import('./clickup')).clickup,
  slack: async () => (await import('./slack')).slack,
  microsoft_teams: async () => (await import('./microsoft-teams')).microsoftTeams,
  google_calendar: async () => (await import('./google-calendar')).googleCalendar,
  datadog: async () => (await import('./datadog')).datadog,
  sonarcloud: async () => (await import('./sonarcloud')).sonarcloud,
  bitbucket: async () => (await import('./bitbucket')).bitbucket,
  resend: async () => (await import('./resend')).resend,
  figma: async () => (await import('./figma')).figma,
  azure_devops: async () => (await import('./azure-devops')).azureDevOps,
  azure_boards: async () => (await import('./azure-boards')).azureBoards,
  notion: async () => (await import('./notion')).notion,
  stripe: async () => (await import('./stripe')).stripe,
  outlook: async () => (await import('./outlook')).outlook,
  gmail: async () => (await import('./gmail')).gmail,
  csv: async () => (await import('./csv')).csv,
});

/** Whether a provider of that name is registered here (no load). */
export const isImplemented = implementations.has;

/** One provider's implementation, loaded on first use; undefined for a name that is no provider's. */
export const loadAdapter = implementations.load;

// Types only: a value re-exported here would be bundled (with its module's top-level code)
// into every handler that imports the loader. The shared modules are imported where needed.
export type * from './types';
