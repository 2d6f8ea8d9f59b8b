import type { ProviderName } from './manifests';
import type { ActionDeclaration, PlainManifest, SyncDeclaration } from './types';

/** A JSON Schema as the API publishes it (without `$schema`). */
export type JsonSchema = Record<string, unknown>;

/** An action as described: its declaration's plain fields, its input schema as JSON Schema. */
export type ActionDescription = Omit<ActionDeclaration, 'input' | 'output'> & { inputSchema: JsonSchema };

/**
 * A provider's DESCRIPTION: every plain field of its manifest as it is (names, auth modes and
 * their settings, credential fields, scopes, hosts, proxy, syncs, webhooks), its zod schemas
 * as JSON Schema. Generated from the manifest by `npm run schemas` (scripts/json-schemas.ts)
 * into adapters/<provider>/description.generated.json; the manifest stays the one source of
 * truth. Derived from the manifest's type, so a field renamed there is a type error in the
 * generator and in every reader.
 *
 * What describing handlers read instead of the manifest module: a manifest builds its zod
 * schemas when loaded, which drags zod's core into the handler (connect-page carried 40 KB
 * of zod for that alone), and a description is JSON.
 */
export type ProviderDescription = PlainManifest & {
  /** The manifest's config schema. */
  configSchema: JsonSchema;
  syncs: readonly SyncDeclaration[];
  actions: readonly ActionDescription[];
};

/**
 * THE description registry, one line per provider, each file a chunk of its own in the split
 * bundle (lib/bundling.ts): a handler that describes one provider loads that one's. Keyed by
 * every provider name, so a provider added to the manifests without a line here is a type
 * error, and a line whose file was never generated fails to compile and to bundle.
 */
const descriptionModules = {
  github: () => import('./github/description.generated.json', { with: { type: 'json' } }),
  gitlab: () => import('./gitlab/description.generated.json', { with: { type: 'json' } }),
  jira: () => import('./jira/description.generated.json', { with: { type: 'json' } }),
  linear: () => import('./linear/description.generated.json', { with: { type: 'json' } }),
  clickup: () => import('./clickup/description.generated.json', { with: { type: 'json' } }),
  slack: () => import('./slack/description.generated.json', { with: { type: 'json' } }),
  microsoft_teams: () => import('./microsoft-teams/description.generated.json', { with: { type: 'json' } }),
  google_calendar: () => import('./google-calendar/description.generated.json', { with: { type: 'json' } }),
  datadog: () => import('./datadog/description.generated.json', { with: { type: 'json' } }),
  sonarcloud: () => import('./sonarcloud/description.generated.json', { with: { type: 'json' } }),
  bitbucket: () => import('./bitbucket/description.generated.json', { with: { type: 'json' } }),
  resend: () => import('./resend/description.generated.json', { with: { type: 'json' } }),
  figma: () => import('./figma/description.generated.json', { with: { type: 'json' } }),
  azure_devops: () => import('./azure-devops/description.generated.json', { with: { type: 'json' } }),
  azure_boards: () => import('./azure-boards/description.generated.json', { with: { type: 'json' } }),
  notion: () => import('./notion/description.generated.json', { with: { type: 'json' } }),
  stripe: () => import('./stripe/description.generated.json', { with: { type: 'json' } }),
  outlook: () => import('./outlook/description.generated.json', { with: { type: 'json' } }),
  gmail: () => import('./gmail/description.generated.json', { with: { type: 'json' } }),
  csv: () => import('./csv/description.generated.json', { with: { type: 'json' } }),
} satisfies Record<ProviderName, () => Promise<{ default: unknown }>>;

/** The folder of a provider under adapters/: its name in kebab case. */
export const providerFolder = (name: ProviderName): string => name.replaceAll('_', '-');

/**
 * Checked against this registry, not adapters/manifests.ts: a handler that reads only
 * descriptions must not keep the manifests' loaders (and with them every manifest chunk).
 */
const isDescribed = (name: string): name is ProviderName => Object.hasOwn(descriptionModules, name);

/**
 * One provider's description; undefined for a name that is no provider's. The JSON's inferred
 * type is wider than the description's (strings for its unions): the file is what the typed
 * generator wrote (test/unit/json-schemas.test.ts, `npm run schemas -- --check`).
 */
export const loadDescription = async (name: string): Promise<ProviderDescription | undefined> =>
  isDescribed(name) ? ((await descriptionModules[name]()).default as ProviderDescription) : undefined;
