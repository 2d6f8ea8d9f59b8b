import type { z } from 'zod/mini';
import type { HttpClient } from './http';
import type { RoutingKey } from './webhook-routing';

/**
 * The adapter contract: what a provider contributes. Data (the manifest: auth, config,
 * syncs and actions declared with `defineSync` / `defineAction`, webhook scheme) in
 * `<provider>/manifest.ts`, read by every handler that describes providers; and code
 * (verify credentials, fetch a page, run an action, verify a webhook) bound to those
 * declarations by `defineAccount()`, `withActions()` and `implement()` in `<provider>/account.ts`,
 * `toolset.ts` and `index.ts`, each loaded only where it runs. Their types demand code for
 * every declared sync and action, with the action's input typed by its schema: a declaration
 * without code, or code without one, does not compile.
 */

export const categories = [
  'task_manager',
  'code_host',
  'communication',
  'calendar',
  'mail',
  'docs',
  'design',
  'monitoring',
  'quality',
  'billing',
  'file_import',
] as const;
export type Category = (typeof categories)[number];

export const authModes = ['oauth2', 'api_key', 'basic', 'app_install'] as const;
export type AuthMode = (typeof authModes)[number];

export const models = [
  'work_item',
  'pull_request',
  'repository',
  'project',
  'channel',
  'message',
  'calendar_event',
  'user',
  'metric',
  'quality_gate',
  'commit',
  'pipeline_run',
  'document',
  'customer',
  'subscription',
  'invoice',
] as const;
export type Model = (typeof models)[number];

/** A field the user supplies when connecting with credentials they already hold. */
export type CredentialField = {
  name: string;
  label: string;
  /** Secret fields are encrypted at rest and never returned. */
  secret: boolean;
  optional?: boolean;
  /** Where to find it at the provider, in a sentence (the connect page shows it under the field). */
  help?: string;
};

export type OAuth2Settings = {
  /** May hold `{placeholders}` filled from connection config (e.g. Microsoft `{tenant}`). */
  authorizationUrl: string;
  tokenUrl: string;
  defaultScopes: string[];
  /** What a scope lets the app do, in plain words, for the connect page (else the raw scope). */
  scopeDescriptions?: Record<string, string>;
  scopeSeparator: ' ' | ',';
  /** Whether each authorization carries a PKCE S256 challenge (RFC 7636). */
  pkce: boolean;
  /**
   * Why not, when `pkce` is false, with the provider's documentation URL: every OAuth provider
   * uses PKCE or says here why it cannot (test/unit/pkce.test.ts).
   */
  noPkceReason?: string;
  /** Extra query parameters the provider needs on the authorization URL. */
  authorizationParams?: Record<string, string>;
  /** Whether the provider issues refresh tokens (and so access tokens that expire). */
  refreshes: boolean;
  /**
   * Words of a refused refresh (`invalid_grant`) that mean the grant was revoked — the user or
   * an admin took it back — rather than that it expired: the connection becomes
   * `disconnected`, not `expired`. Matched case-insensitively in the provider's message.
   */
  revokedGrant?: string[];
  docsUrl: string;
};

export type AppInstallSettings = {
  /** `{slug}` is the integration's app slug. */
  installUrl: string;
  fields: CredentialField[];
  docsUrl: string;
};

export type AuthSettings = {
  oauth2?: OAuth2Settings;
  api_key?: { fields: CredentialField[]; docsUrl: string };
  basic?: { fields: CredentialField[]; docsUrl: string };
  app_install?: AppInstallSettings;
};

/** A sync as the manifest declares it: data, read by every handler that describes providers. */
export type SyncDeclaration<N extends string = string> = {
  name: N;
  model: Model;
  description: string;
  /** `15m`, `1h`, `1d` … */
  defaultFrequency: string;
  incremental: boolean;
};

/** Declares a sync; its name stays a literal type, so `implement()` can demand its code. */
export const defineSync = <const N extends string>(declaration: SyncDeclaration<N>): SyncDeclaration<N> =>
  declaration;

/** What the engine hands a sync for one page. */
export type SyncContext = {
  /** Fresh credentials (the engine refreshes them before each page when needed). */
  credentials: Credentials;
  config: Record<string, unknown>;
  /** Facts stored at connect time (Jira `cloud_id`, Slack `team_id`, …). */
  metadata: Record<string, string>;
  baseUrl: string;
  http: HttpClient;
  /** Where the previous page left off (whatever `next` the sync returned); absent: start. */
  checkpoint?: unknown;
  mode: 'incremental' | 'full';
  /** Incremental runs: the provider's changes since this instant (ISO). */
  since?: string;
  /**
   * Incremental runs: the `cursor` the last successful run's final page returned (a
   * provider sync token, Google Calendar's `nextSyncToken`); absent after a full run that
   * returned none, or before any.
   */
  cursor?: unknown;
};

/** What an action gets: the connection's fresh credentials and where to call. */
export type ActionContext = Pick<SyncContext, 'credentials' | 'config' | 'metadata' | 'baseUrl' | 'http'>;

/** One provider object, mapped to its model. `id` is stable per provider object. */
export type SyncRecord = { id: string; data: Record<string, unknown> };

export type SyncPage = {
  records: SyncRecord[];
  /** Objects the provider reported deleted on this page (ids as in `SyncRecord.id`). */
  deletedIds?: string[];
  /** The checkpoint of the next page; absent when this was the last one. Must be JSON. */
  next?: unknown;
  /**
   * On the last page: what the next incremental run starts from (`ctx.cursor`), kept only
   * when this run succeeds. Must be JSON.
   */
  cursor?: unknown;
  /**
   * The provider refused the incremental cursor (Google's 410 GONE) and this page starts a
   * full listing instead: the engine treats the rest of the run as full, so what the
   * listing no longer returns is marked deleted when it succeeds.
   */
  resync?: true;
};

/** An action's input: an object schema (its JSON Schema is what the catalog publishes). */
export type InputSchema = z.ZodMiniType<Record<string, unknown>>;
/** What an action answers when it declares no output schema: the tool's `data`, JSON. */
export type ActionResult = Record<string, unknown>;

/** An action as the manifest declares it: data, read by every handler that describes providers. */
export type ActionDeclaration<
  N extends string = string,
  I extends InputSchema = InputSchema,
  O extends InputSchema = InputSchema,
> = {
  name: N;
  description: string;
  /** Validates tool input (422 when it fails); the code gets what it parsed, typed. */
  input: I;
  /** The shape of what the code answers, when declared: the code's return type follows it. */
  output?: O;
  /** Writes at the provider (create, send, transition): guarded by Idempotency-Key. */
  writes: boolean;
  /**
   * The input field a workspace grant's `default_project` fills when the caller leaves it
   * out (`repo` for GitHub, `project_key` for Jira, `team_id` for Linear, …).
   */
  projectField?: Extract<keyof z.output<I>, string>;
};

/** Declares an action; its name and schemas stay literal types, so `withActions()` types its code. */
export const defineAction = <
  const N extends string,
  I extends InputSchema,
  O extends InputSchema = InputSchema,
>(
  declaration: ActionDeclaration<N, I, O>,
): ActionDeclaration<N, I, O> => declaration;

export type WebhookSignatureScheme =
  | 'hmac_sha256_hex' // GitHub X-Hub-Signature-256, Jira X-Hub-Signature, ClickUp X-Signature
  | 'slack_v0' // X-Slack-Signature over v0:{ts}:{body}, 5-minute window
  | 'linear' // Linear-Signature, hex HMAC, webhookTimestamp within a minute
  | 'shared_token' // GitLab X-Gitlab-Token, Google X-Goog-Channel-Token
  | 'graph_client_state' // Microsoft Graph: validationToken handshake + clientState
  | 'stripe' // Stripe-Signature: t=,v1= over "{t}.{body}", 300 s tolerance
  | 'svix' // Svix (Resend): svix-id, svix-timestamp, svix-signature "v1,<base64>"
  | 'body_passcode' // Figma: no signature; the JSON body carries the webhook's `passcode`
  | 'basic_auth'; // Azure DevOps service hooks: HTTP basic password and/or a secret header

export type WebhookSettings = {
  events: string[];
  signature: { scheme: WebhookSignatureScheme; header: string };
  docsUrl: string;
};

/**
 * A provider webhook as the receiver got it: headers lower-cased, the body as sent — its
 * bytes, verified as they are (`rawText` reads them as text once verified); a string
 * stands for its UTF-8 encoding (tests).
 */
export type WebhookRequest = {
  method: string;
  /** The path as received (`/webhooks/{tenant_id}/{integration_key}`), for schemes that sign it (Jira's `qsh`). */
  rawPath?: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  rawBody: Uint8Array | string;
};

/**
 * What a verified request is: an event to queue (its delivery id dedupes redeliveries),
 * or a handshake to answer at once (Slack `url_verification`, Graph `validationToken`).
 */
export type WebhookVerified =
  | {
      kind: 'event';
      deliveryId: string;
      eventType: string;
      /**
       * The proof authenticates the sender but not the body (a Jira OAuth app's JWT signs no
       * body): the body is then only a hint — `apply` gets `{ hintOnly: true }` and the
       * processor turns any records effect into an incremental sync of that sync.
       */
      hintOnly?: true;
      /**
       * The body to queue in place of the one received, when the proof travels inside it
       * (Figma's `passcode`): the verified body with the proof taken out, so no log, events
       * list or `provider.event` ever carries the secret. Absent: the body as received.
       */
      body?: string;
    }
  | { kind: 'handshake'; status: number; contentType: string; body: string };

/**
 * What an event means for the records of one connection: records to upsert and ids
 * deleted, in a sync's model (they join that sync's records); or, when the payload is
 * partial, syncs to run incrementally now; or that the connection's grant is gone.
 */
export type WebhookEffect =
  | {
      kind: 'records';
      sync: string;
      records: SyncRecord[];
      deletedIds: string[];
      /**
       * Fields the event can't tell (a Jira sprint event names its board's id, not its name):
       * each record takes them from the stored one when there is one, instead of the event's.
       */
      keep?: string[];
    }
  | { kind: 'sync'; syncs: string[] }
  /** The provider says the grant is gone (app uninstalled, tokens revoked): `disconnected`. */
  | { kind: 'disconnect'; reason: string };

/** What a connection stored at connect time that routing may read. */
export type ConnectionKeysInput = {
  account: { id: string; name: string };
  metadata: Record<string, string>;
};

/**
 * Who a connection is, as keys of the kinds `route` produces, from what it stored at connect
 * time: its provider account and provider metadata. An event reaches the connections with a
 * key equal to one of its own — like matches like only. A provider's `webhook-keys.ts`, apart
 * from its webhook code, so connecting an account doesn't load the event handling.
 */
export type ConnectionKeys = (connection: ConnectionKeysInput) => RoutingKey[];

export type WebhookFunctions = {
  /**
   * Verifies the provider's signature over the raw body BEFORE anything parses it
   * (adapters/webhook-signatures.ts; constant-time, length-checked, timestamps within the
   * provider's window) and names the delivery. Throws `WebhookRefused` (→ 401).
   */
  verify: (req: WebhookRequest, secret: string, now: number) => WebhookVerified;
  /**
   * Who the event is for, as typed keys (adapters/webhook-routing.ts): `installation:42`,
   * `team:T123`, `org:…`, `cloud:…`. Empty: it can't be routed (kept, visible, not lost).
   */
  route: (payload: unknown, eventType: string) => RoutingKey[];
  /**
   * The event's effect on one routed connection's records; undefined: none (it is still
   * forwarded as provider.event). `connection` carries its config, so an event outside the
   * connection's narrowing (`config.repositories`, `config.teams`, …) changes nothing.
   */
  apply: (
    payload: unknown,
    eventType: string,
    connection?: { config: Record<string, unknown>; metadata: Record<string, string> },
    delivery?: { hintOnly?: boolean },
  ) => WebhookEffect | undefined;
  /**
   * Whether the event goes out to the tenant's subscribers as `provider.event` for this
   * connection (its config may name the events it wants); absent: every routed event does.
   * Records are applied either way.
   */
  forward?: (
    payload: unknown,
    eventType: string,
    connection: { config: Record<string, unknown>; metadata: Record<string, string> },
  ) => boolean;
};

/**
 * How a raw request (the proxy, API.md "Proxy") carries a connection's credentials: for each
 * credential type the provider takes, the headers to send, as templates. `{access_token}`
 * (OAuth tokens and app installation tokens alike), `{api_key}`, `{app_key}`, `{username}`,
 * `{password}`, and `{basic}` (base64 of `username:password`). A header whose template names
 * a value the credentials lack is left out (an optional `app_key`).
 */
export type ProxySettings = {
  headers: Partial<Record<'oauth2' | 'api_key' | 'basic', Record<string, string>>>;
  /**
   * What raw paths are relative to: the API base URL (default), or its parent when the base
   * is a single endpoint (Linear's `/graphql`: `POST /v1/proxy/{id}/graphql`).
   */
  base?: 'api_base_url' | 'parent';
};

export type ProviderManifest<
  S extends SyncDeclaration = SyncDeclaration,
  A extends ActionDeclaration = ActionDeclaration,
> = {
  name: string;
  displayName: string;
  categories: Category[];
  /** Listed first in the catalog: maintained by us, tested end to end. */
  curated: boolean;
  docsUrl: string;
  apiBaseUrl: string;
  /**
   * The provider's own domains: `example.com` that name exactly, `*.example.com` any name
   * under it. An integration's endpoint overrides must be on one of them (or on a host the
   * operator allow-lists), so a refresh token or a client secret goes nowhere else. Every
   * URL of the manifest is on them. A provider that can be self-hosted declares its cloud.
   */
  hosts: string[];
  auth: AuthSettings;
  /** How the proxy authenticates a raw request to `apiBaseUrl` (every provider declares it). */
  proxy: ProxySettings;
  /** Connection `config` the credentials alone don't carry (site, host, tenant, narrowing). */
  config: z.ZodMiniType<Record<string, unknown>>;
  syncs: readonly S[];
  actions: readonly A[];
  webhooks?: WebhookSettings;
};

/**
 * A manifest's plain parts (everything but its zod schemas and its sync and action
 * declarations): what a provider's manifest and its generated description
 * (adapters/descriptions.ts) both carry, as they are. Code that reads only these takes either.
 */
export type PlainManifest = Omit<ProviderManifest, 'config' | 'syncs' | 'actions'>;

/**
 * Declares a provider's manifest, keeping each sync's and action's literal name and schema
 * types (which `implement()` reads). Plain data: a manifest module imports zod and types only.
 */
export const defineManifest = <M extends ProviderManifest>(manifest: M): M => manifest;

/** Credentials a user brings to POST /v1/connections (API.md), by type. */
export type Credentials =
  | { type: 'api_key'; api_key: string; app_key?: string }
  | { type: 'basic'; username: string; password: string }
  | {
      type: 'oauth2';
      access_token: string;
      refresh_token?: string;
      expires_at?: string;
      /** Other tokens issued with it, for calls that need them (Slack's `user_access_token`). */
      extra?: Record<string, string>;
    }
  | { type: 'app_install'; installation_id: string };

export type CredentialType = Credentials['type'];

/** Integration-level settings an adapter may need (never logged, never returned). */
export type IntegrationSettings = {
  oauthClientId?: string;
  oauthClientSecret?: string;
  app?: { appId: string; slug?: string; privateKey?: string };
};

export type VerifyContext = {
  credentials: Credentials;
  /** The connection's config, already validated against `manifest.config`. */
  config: Record<string, unknown>;
  /** Where to call: the integration's `endpoints.api_base_url`, else `resolveBaseUrl(config)`. */
  baseUrl: string;
  integration: IntegrationSettings;
  http: HttpClient;
};

/** Who the credentials belong to, as the provider says. */
export type VerifiedAccount = {
  account: { id: string; name: string };
  /** Scopes the provider reports for these credentials, when it does. */
  scopes?: string[];
  /** Provider facts worth keeping on the connection (e.g. Jira cloud id). */
  metadata?: Record<string, string>;
};

/** What a token endpoint gave us, normalised. */
export type TokenSet = {
  accessToken: string;
  refreshToken?: string;
  /** ISO-8601; absent when the token does not expire. */
  expiresAt?: string;
  /** Scopes granted, when the provider says (may differ from those asked). */
  scopes?: string[];
  /** Other secrets the provider returned beside the main token (Slack's user token). */
  extra?: Record<string, string>;
  /** Non-secret facts worth keeping on the connection (Slack team id, Entra tenant id). */
  metadata?: Record<string, string>;
};

/** Everything a token call needs; URLs already resolved (integration overrides, `{tenant}`). */
export type OAuthContext = {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Scopes asked for at authorization (some token endpoints want them again). */
  scopes: string[];
  http: HttpClient;
};

export type OAuthFunctions = {
  /** Exchanges an authorization code, with the PKCE verifier when one was used. */
  exchangeCode: (ctx: OAuthContext & { code: string; codeVerifier?: string }) => Promise<TokenSet>;
  /**
   * Refreshes an access token. The provider refusing the refresh token for good (revoked,
   * expired, already used) → `ProviderError('rejected', …, { code: 'invalid_grant' })`.
   * A provider that rotates refresh tokens returns the new one in the TokenSet.
   */
  refreshToken?: (ctx: OAuthContext & { refreshToken: string }) => Promise<TokenSet>;
};

/** App installs (GitHub App and alike): short-lived installation tokens from the app's key. */
export type AppInstallFunctions = {
  mintInstallationToken: (ctx: {
    installationId: string;
    app: { appId: string; privateKey: string };
    baseUrl: string;
    http: HttpClient;
  }) => Promise<TokenSet>;
  /**
   * Whether the person who came back from the install can access the installation, asked
   * with their own user token (exchanged, with the app's OAuth client, from the code the
   * provider sends with the install): the callback's installation id alone proves nothing.
   * Required: a provider that cannot bind an install to a person declares no app installs
   * (`defineAccount()` refuses the code without it, so core can offer app installs from the
   * manifest alone).
   */
  userCanAccessInstallation: (ctx: {
    installationId: string;
    userToken: string;
    baseUrl: string;
    http: HttpClient;
  }) => Promise<boolean>;
};

/** What revoking a connection's grant at the provider needs (DELETE /v1/connections/{id}). */
export type RevokeContext = {
  credentials: Credentials;
  /** The integration's OAuth client, when it has one. */
  clientId?: string;
  clientSecret?: string;
  /** The token URL in use (integration override applied): revocation lives beside it. */
  tokenUrl?: string;
  baseUrl: string;
  http: HttpClient;
};

/** A sync's code: fetches one page from a checkpoint, mapped. */
export type SyncCode = (ctx: SyncContext) => Promise<SyncPage>;

/**
 * An action's code: `input` is what the declaration's schema parsed, typed by it. Returns the
 * tool's `data` (JSON; lists of provider objects mapped to their unified model, each with its
 * `id`), shaped as the declared `output` when there is one. Throws ProviderError: `rejected`
 * with the provider's own message when it refuses (→ 422 action_failed), `unreachable`
 * (→ 502), `rate_limited` (→ 429).
 */
export type ActionCode<D extends ActionDeclaration> =
  D extends ActionDeclaration<string, infer I, infer O>
    ? (ctx: ActionContext, input: z.output<I>) => Promise<z.output<O>>
    : never;

/** The parsed input of a manifest's action `N`: for action code written outside `ActionsOf`. */
export type InputOf<M extends ProviderManifest, N extends M['actions'][number]['name']> = z.output<
  Extract<M['actions'][number], { name: N }>['input']
>;

/** The code of every sync a manifest declares, by name: one missing, or one undeclared, is a type error. */
export type SyncsOf<M extends ProviderManifest> = { [D in M['syncs'][number] as D['name']]: SyncCode };

/** The code of every action a manifest declares, by name, each typed by its declaration. */
export type ActionsOf<M extends ProviderManifest> = {
  [D in M['actions'][number] as D['name']]: ActionCode<D>;
};

/**
 * What a provider's account.ts hands `defineAccount()` beside its manifest: what reaching a
 * customer's account at the provider takes — verifying credentials, the API base, OAuth, app
 * installs, revocation, and who a connection is for webhook routing — and no sync, action or
 * webhook-event code. Its type follows the manifest: an app-install flow when the manifest
 * declares app installs; an OAuth flow only for an OAuth provider (absent: RFC 6749's, from
 * adapters/oauth2.ts); connection keys only where the manifest declares webhooks
 * (required with webhook code: `implement()` checks).
 */
export type AccountCode<M extends ProviderManifest> = {
  /**
   * Revokes the grant behind the credentials at the provider's documented revocation
   * endpoint; resolves once the provider confirmed. Throws ProviderError (`rejected` with the
   * provider's words, `unreachable`). Absent: the provider documents no revocation endpoint.
   */
  revoke?: (ctx: RevokeContext) => Promise<void>;
  /**
   * Proves credentials against the provider with its cheapest "who am I" call.
   * Throws ProviderError: `rejected` with the provider's reason for bad credentials,
   * `unreachable` for network errors and 5xx (the shared http client does that).
   */
  verifyCredentials: (ctx: VerifyContext) => Promise<VerifiedAccount>;
  /**
   * The API base URL for a connection, from its config (Jira site, Datadog site,
   * GitLab host). Absent: `manifest.apiBaseUrl`. Throws ProviderError `rejected` when
   * the config lacks what it needs.
   */
  resolveBaseUrl?: (config: Record<string, unknown>, credentials: Credentials) => string;
} & (M['auth'] extends { oauth2: OAuth2Settings } ? { oauth?: OAuthFunctions } : { oauth?: never }) &
  (M['auth'] extends { app_install: AppInstallSettings }
    ? { appInstall: AppInstallFunctions }
    : { appInstall?: never }) &
  (M extends { webhooks: WebhookSettings }
    ? { connectionKeys?: ConnectionKeys }
    : { connectionKeys?: never });

/** The code of every action a manifest declares (none: no actions), as `withActions()` takes it. */
export type ActionsPart<M extends ProviderManifest> = [M['actions'][number]] extends [never]
  ? { actions?: Record<string, never> }
  : { actions: ActionsOf<M> };

/**
 * What a provider's index.ts hands `implement()` beside its toolset (which has the actions):
 * code for every declared sync (one missing, or one undeclared, is a type error), webhook code
 * only where the manifest declares webhooks.
 */
export type OperationsCode<M extends ProviderManifest> = ([M['syncs'][number]] extends [never]
  ? { syncs?: Record<string, never> }
  : { syncs: SyncsOf<M> }) &
  (M extends { webhooks: WebhookSettings } ? { webhooks?: WebhookFunctions } : { webhooks?: never });

/** A sync with its code: the declaration and `fetchPage`, one object. */
export type Sync = SyncDeclaration & {
  /**
   * Fetches one page from a checkpoint, mapped. Rate limits are
   * `ProviderError('rate_limited', …, { retryAfterSeconds })`; the engine hands the run back
   * to the queue for that long and resumes at the same checkpoint.
   */
  fetchPage: SyncCode;
};

/** An input checked against an action's schema: a call of its code with what was parsed, or why not. */
export type PreparedAction =
  | { success: true; input: Record<string, unknown>; run: (ctx: ActionContext) => Promise<ActionResult> }
  | { success: false; issues: readonly { path: readonly PropertyKey[]; message: string }[] };

/** An action with its code: the declaration and a way to run it, one object. */
export type Action = ActionDeclaration & {
  /** Parses `input` with the declared schema; when it fits, the code bound to what it parsed. */
  prepare: (input: unknown) => PreparedAction;
};

/**
 * What reaching a customer's account at a provider takes, as `defineAccount()` makes it and
 * `loadAccount()` (adapters/accounts.ts) hands it out: the handlers that connect, refresh,
 * proxy or revoke load this and none of the provider's sync, action or webhook-event code.
 */
export type Account = {
  manifest: ProviderManifest;
  verifyCredentials: AccountCode<ProviderManifest>['verifyCredentials'];
  resolveBaseUrl?: (config: Record<string, unknown>, credentials: Credentials) => string;
  /** Present exactly when the manifest declares OAuth2. */
  oauth?: OAuthFunctions;
  appInstall?: AppInstallFunctions;
  /** Revocation of a connection's grant (DELETE /v1/connections/{id}); absent: none documented. */
  revoke?: (ctx: RevokeContext) => Promise<void>;
  /** Who a connection is, as webhook routing keys; present exactly when the manifest declares webhooks. */
  connectionKeys?: ConnectionKeys;
};

/** An account bound to its manifest's type, so `withActions()` and `implement()` can type the operations by it. */
export type AccountOf<M extends ProviderManifest> = Account & { manifest: M };

/**
 * A provider's actions with its account, as `withActions()` makes it and `loadToolset()`
 * (adapters/toolsets.ts) hands it out: what running a tool takes, without the provider's
 * syncs and webhook handling.
 */
export type Toolset = Account & {
  /** Every declared action, with its code, by name (no prototype: any name may be looked up). */
  actions: Readonly<Record<string, Action>>;
};

/** A provider's toolset typed by its manifest, as `implement()` takes it to type the syncs. */
export type ToolsetOf<M extends ProviderManifest> = Toolset & { manifest: M };

/** A provider's implementation, as `implement()` makes it and `loadAdapter()` hands it out. */
export type Adapter = Toolset & {
  /** Every declared sync, with its code, by name (no prototype: any name may be looked up). */
  syncs: Readonly<Record<string, Sync>>;
  /** Provider webhooks: verify, route, apply. */
  webhooks?: WebhookFunctions;
};
