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
const implementations = lazyRegistry<'adapter', Adapter>('adapter', {
  github: () => import('./github'),
  gitlab: () => import('./gitlab'),
  jira: () => import('./jira'),
  linear: () => import('./linear'),
  clickup: () => import('./clickup'),
  slack: () => import('./slack'),
  microsoft_teams: () => import('./microsoft-teams'),
  google_calendar: () => import('./google-calendar'),
  datadog: () => import('./datadog'),
  sonarcloud: () => import('./sonarcloud'),
  bitbucket: () => import('./bitbucket'),
  resend: () => import('./resend'),
  figma: () => import('./figma'),
  azure_devops: () => import('./azure-devops'),
  azure_boards: () => import('./azure-boards'),
  notion: () => import('./notion'),
  stripe: () => import('./stripe'),
  outlook: () => import('./outlook'),
  gmail: () => import('./gmail'),
  csv: () => import('./csv'),
});

/** Whether a provider of that name is registered here (no load). */
export const isImplemented = implementations.has;

/** One provider's implementation, loaded on first use; undefined for a name that is no provider's. */
export const loadAdapter = implementations.load;

// Types only: a value re-exported here would be bundled (with its module's top-level code)
// into every handler that imports the loader. The shared modules are imported where needed.
export type * from './types';
