import { lazyRegistry } from './lazy-registry';
import type { Toolset } from './types';

/**
 * THE toolset registry: each provider's actions bound to its account
 * (`adapters/<provider>/toolset.ts`), one line per provider, each imported only when a tool of
 * that provider runs (POST /v1/tools/execute, MCP tools/call). Running a tool loads neither the
 * provider's syncs nor its webhook handling (adapters/index.ts has those). lazyRegistry's type
 * refuses a provider with a manifest and no toolset.
 */
const toolsets = lazyRegistry<'toolset', Toolset>('toolset', {
  github: () => import('./github/toolset'),
  gitlab: () => import('./gitlab/toolset'),
  jira: () => import('./jira/toolset'),
  linear: () => import('./linear/toolset'),
  clickup: () => import('./clickup/toolset'),
  slack: () => import('./slack/toolset'),
  microsoft_teams: () => import('./microsoft-teams/toolset'),
  google_calendar: () => import('./google-calendar/toolset'),
  datadog: () => import('./datadog/toolset'),
  sonarcloud: () => import('./sonarcloud/toolset'),
  bitbucket: () => import('./bitbucket/toolset'),
  resend: () => import('./resend/toolset'),
  figma: () => import('./figma/toolset'),
  azure_devops: () => import('./azure-devops/toolset'),
  azure_boards: () => import('./azure-boards/toolset'),
  notion: () => import('./notion/toolset'),
  stripe: () => import('./stripe/toolset'),
  outlook: () => import('./outlook/toolset'),
  gmail: () => import('./gmail/toolset'),
  csv: () => import('./csv/toolset'),
});

/** Whether a provider of that name is registered here (no load). */
export const hasToolset = toolsets.has;

/** One provider's toolset, loaded on first use; undefined for a name that is no provider's. */
export const loadToolset = toolsets.load;
