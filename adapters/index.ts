import type { ProviderName } from './manifests';
import type { Adapter } from './types';

/**
 * THE implementation registry: each provider's code (verify credentials, OAuth, syncs,
 * actions, webhooks), one line per provider, each imported only when a handler runs that
 * provider's code — the deployed bundle is split per provider (lib/bundling.ts), so one
 * invocation loads one provider. Handlers that only describe providers read
 * adapters/descriptions.ts (and PATCH a connection's config schema, adapters/configs.ts)
 * instead and never reach this module. Adding a provider is its folder plus one line here and
 * one in each of adapters/manifests.ts, adapters/descriptions.ts and adapters/configs.ts; the
 * `satisfies` below refuses a provider with a manifest and no implementation, or the other way
 * round.
 */
const implementations = {
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
} satisfies Record<ProviderName, () => Promise<Adapter>>;

/**
 * Each provider's load, kept once started: `import()` of a module already loaded still
 * resolves its specifier on every call (and through loader hooks locally), which at webhook
 * rate was a quarter of the receiver's CPU (`npm run bench -- webhooks`, profiled).
 */
const loaded = new Map<ProviderName, Promise<Adapter>>();

/** Whether a provider of that name is registered here (no load). */
export const isImplemented = (name: string): boolean => Object.hasOwn(implementations, name);

/** One provider's implementation, loaded on first use; undefined for a name that is no provider's. */
export const loadAdapter = async (name: string): Promise<Adapter | undefined> => {
  if (!Object.hasOwn(implementations, name)) return undefined;
  const provider = name as ProviderName;
  let load = loaded.get(provider);
  if (!load) {
    load = implementations[provider]();
    loaded.set(provider, load);
    // A failed load is not kept: the next call tries again.
    load.catch(() => loaded.delete(provider));
  }
  return load;
};

// Types only: a value re-exported here would be bundled (with its module's top-level code)
// into every handler that imports the loader. The shared modules are imported where needed.
export type * from './types';
