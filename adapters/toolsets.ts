import { lazyRegistry } from './lazy-registry';
import type { Toolset } from './types';

/**
 * THE toolset registry: each provider's actions bound to its account
 * (`adapters/<provider>/toolset.ts`), one line per provider, each imported only when a tool of
 * that provider runs (POST /v1/tools/execute, MCP tools/call). Running a tool loads neither the
 * provider's syncs nor its webhook handling (adapters/index.ts has those). lazyRegistry's type
 * refuses a provider with a manifest and no toolset.
 */
const toolsets = lazyRegistry<Toolset>({
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
});

/** Whether a provider of that name is registered here (no load). */
export const hasToolset = toolsets.has;

/** One provider's toolset, loaded on first use; undefined for a name that is no provider's. */
export const loadToolset = toolsets.load;
