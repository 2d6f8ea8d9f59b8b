import { lazyRegistry } from './lazy-registry';
import type { Account } from './types';

/**
 * THE account registry: what reaching each provider's customer accounts takes (verify
 * credentials, the API base, OAuth, app installs, revocation, webhook connection keys), one
 * line per provider, each imported only when a handler needs that provider — the handlers that
 * connect, refresh tokens, proxy or revoke. A provider's actions (adapters/toolsets.ts) and
 * its syncs and webhook handling (adapters/index.ts) build on the same module: those handlers
 * never load them (the deployed bundle is split per dynamic import, lib/bundling.ts).
 * lazyRegistry's type refuses a provider with a manifest and no account.
 */
const accounts = lazyRegistry<'account', Account>('account', {
  github: () => import('./github/account'),
  gitlab: () => import('./gitlab/account'),
  jira: () => import('./jira/account'),
  linear: () => import('./linear/account'),
  clickup: () => import('./clickup/account'),
  slack: () => import('./slack/account'),
  microsoft_teams: () => import('./microsoft-teams/account'),
  google_calendar: () => import('./google-calendar/account'),
  datadog: () => import('./datadog/account'),
  sonarcloud: () => import('./sonarcloud/account'),
  bitbucket: () => import('./bitbucket/account'),
  resend: () => import('./resend/account'),
  figma: () => import('./figma/account'),
  azure_devops: () => import('./azure-devops/account'),
  azure_boards: () => import('./azure-boards/account'),
  notion: () => import('./notion/account'),
  stripe: () => import('./stripe/account'),
  outlook: () => import('./outlook/account'),
  gmail: () => import('./gmail/account'),
  csv: () => import('./csv/account'),
});

/** One provider's account, loaded on first use; undefined for a name that is no provider's. */
export const loadAccount = accounts.load;
