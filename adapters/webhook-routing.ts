/**
 * Typed routing keys: who a provider event is for, and who a connection is, as
 * `<kind>:<value>` — `installation:42`, `account:9919`, `team:t123`. An event reaches a
 * connection only when a key matches exactly, kind included, so a GitHub installation id
 * can no longer match a user id that happens to be the same number. Adapters produce both
 * sides (`route` from the payload, `connectionKeys` from what a connection stored at
 * connect time), so each provider decides what its ids mean.
 */
export const routingKinds = [
  'installation', // GitHub App installation
  'account', // a provider account id (GitHub user or organization)
  'login', // a provider account's handle (GitHub login, GitLab username)
  'team', // Slack workspace, Figma team
  'enterprise', // Slack Enterprise Grid organization
  'org', // Linear organization
  'site', // Jira site host
  'cloud', // Atlassian cloud id
  'tenant', // Microsoft Entra tenant
  'namespace', // GitLab group or user namespace path
  'user', // a provider user id (GitLab)
  'domain', // a sending domain (Resend)
  'workspace', // Notion workspace
] as const;

export type RoutingKind = (typeof routingKinds)[number];
export type RoutingKey = `${RoutingKind}:${string}`;

/** Values compare case-insensitively (logins, hosts, domains). */
export const routingKey = (kind: RoutingKind, value: string | number): RoutingKey =>
  `${kind}:${String(value).toLowerCase()}`;

/** The keys of the values that are present, each once. */
export const routingKeys = (
  ...pairs: readonly (readonly [RoutingKind, string | number | null | undefined])[]
): RoutingKey[] => [
  ...new Set(
    pairs.flatMap(([kind, v]) => (v === undefined || v === null || v === '' ? [] : [routingKey(kind, v)])),
  ),
];
