import type { ProviderName } from './manifests';
import type { Toolset } from './types';

/**
 * THE toolset registry: each provider's actions bound to its account
 * (`adapters/<provider>/toolset.ts`), one line per provider, each imported only when a tool of
 * that provider runs (POST /v1/tools/execute, MCP tools/call). Running a tool loads neither the
 * provider's syncs nor its webhook handling (adapters/index.ts has those). The `satisfies`
 * below refuses a provider with a manifest and no toolset.
 */
const toolsets = {
  github: async () => (await import('./github/toolset')).toolset,
  gitlab: async () => (await import('./gitlab/toolset')).toolset,
  jira: async () => (await import('./jira/toolset')).toolset,
  linear: async () => (await import('./linear/toolset')).toolset,
  clickup: async () => (await import('./clickup/toolset')).toolset,
  slack: async () => (await import('./slack/toolset')).toolset,
  microsoft_teams: async () => (await import('./microsoft-teams/toolset')).toolset,
  google_calendar: async () => (await import('./google-calendar/toolset')).toolset,
  datadog: async () => (await import('./datadog/toolset')).toolset,
  sonarcloud: async () => (await import('./sonarcloud/toolset')).toolset,
  bitbucket: async () => (await import('./bitbucket/toolset')).toolset,
  resend: async () => (await import('./resend/toolset')).toolset,
  figma: async () => (await import('./figma/toolset')).toolset,
  azure_devops: async () => (await import('./azure-devops/toolset')).toolset,
  azure_boards: async () => (await import('./azure-boards/toolset')).toolset,
  notion: async () => (await import('./notion/toolset')).toolset,
  stripe: async () => (await import('./stripe/toolset')).toolset,
  outlook: async () => (await import('./outlook/toolset')).toolset,
  gmail: async () => (await import('./gmail/toolset')).toolset,
  csv: async () => (await import('./csv/toolset')).toolset,
} satisfies Record<ProviderName, () => Promise<Toolset>>;

/** Each provider's load, kept once started (as adapters/index.ts keeps its own). */
const loaded = new Map<ProviderName, Promise<Toolset>>();

/** Whether a provider of that name is registered here (no load). */
export const hasToolset = (name: string): boolean => Object.hasOwn(toolsets, name);

/** One provider's toolset, loaded on first use; undefined for a name that is no provider's. */
export const loadToolset = async (name: string): Promise<Toolset | undefined> => {
  if (!Object.hasOwn(toolsets, name)) return undefined;
  const provider = name as ProviderName;
  let load = loaded.get(provider);
  if (!load) {
    load = toolsets[provider]();
    loaded.set(provider, load);
    // A failed load is not kept: the next call tries again.
    load.catch(() => loaded.delete(provider));
  }
  return load;
};
