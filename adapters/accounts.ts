import { lazyRegistry } from './lazy-registry';
import type { Account } from './types';

/**
 * THE account registry: what reaching each provider's customer accounts takes (verify
 * credentials, the API base, OAuth, app installs, revocation, webhook connection keys), one
 * line per provider, each imported only when a handler needs that provider — the handlers that
 * connect, refresh tokens, proxy or revoke. A provider's syncs, actions and webhook handling
 * are adapters/index.ts, which builds on the same module: those handlers never load them (the
 * deployed bundle is split per dynamic import, lib/bundling.ts). lazyRegistry's type refuses
 * a provider with a manifest and no account.
 */
const accounts = lazyRegistry<Account>({
  github: async () => (await import('./github/account')).account,
  gitlab: async () => (await import('./gitlab/account')).account,
  jira: async () => (await import('./jira/account')).account,
  linear: async () => (await import('./linear/account')).account,
  clickup: async () => (await import('./clickup/account')).account,
  slack: async () => (await import('./slack/account')).account,
  microsoft_teams: async () => (await import('./microsoft-teams/account')).account,
  google_calendar: async () => (await import('./google-calendar/account')).account,
  datadog: async () => (await import('./datadog/account')).account,
  sonarcloud: async () => (await import('./sonarcloud/account')).account,
  bitbucket: async () => (await import('./bitbucket/account')).account,
  resend: async () => (await import('./resend/account')).account,
  figma: async () => (await import('./figma/account')).account,
  azure_devops: async () => (await import('./azure-devops/account')).account,
  azure_boards: async () => (await import('./azure-boards/account')).account,
  notion: async () => (await import('./notion/account')).account,
  stripe: async () => (await import('./stripe/account')).account,
  outlook: async () => (await import('./outlook/account')).account,
  gmail: async () => (await import('./gmail/account')).account,
  csv: async () => (await import('./csv/account')).account,
});

/** One provider's account, loaded on first use; undefined for a name that is no provider's. */
export const loadAccount = accounts.load;
