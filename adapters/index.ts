import { bitbucket } from './bitbucket';
import { clickup } from './clickup';
import { datadog } from './datadog';
import { github } from './github';
import { gitlab } from './gitlab';
import { googleCalendar } from './google-calendar';
import { jira } from './jira';
import { linear } from './linear';
import { microsoftTeams } from './microsoft-teams';
import { resend } from './resend';
import { slack } from './slack';
import { sonarcloud } from './sonarcloud';
import type { Adapter } from './types';

/** THE provider registry: adding a provider is its folder plus one line here. */
const adapters: Adapter[] = [
  github,
  gitlab,
  jira,
  linear,
  clickup,
  slack,
  microsoftTeams,
  googleCalendar,
  datadog,
  sonarcloud,
  bitbucket,
  resend,
];

const byName = new Map(adapters.map((a) => [a.manifest.name, a]));

export const listAdapters = (): readonly Adapter[] => adapters;
export const getAdapter = (name: string): Adapter | undefined => byName.get(name);

export { isProviderError, ProviderError, type ProviderErrorKind } from './errors';
export { type HttpClient, httpClient } from './http';
export { oauth2Flow } from './oauth2';
export type * from './types';
