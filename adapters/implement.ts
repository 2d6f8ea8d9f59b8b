import { oauth2Flow } from './oauth2';
import type {
  AccountCode,
  AccountOf,
  Action,
  ActionCode,
  ActionDeclaration,
  ActionsPart,
  Adapter,
  OperationsCode,
  ProviderManifest,
  Sync,
  SyncCode,
  ToolsetOf,
} from './types';

/** Operations by name, without a prototype: a name from a request (`constructor`) finds nothing. */
const byName = <T extends { name: string }>(items: T[]): Readonly<Record<string, T>> =>
  Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(items.map((i) => [i.name, i])));

const problem = (provider: string, file: string, kind: string, names: string[]) =>
  new Error(`${provider}: ${kind}: ${names.join(', ')} (adapters/${provider}/${file})`);

/**
 * A provider's account: what reaching a customer's account takes (verify, the API base,
 * OAuth, app installs, revocation, webhook connection keys), bound to its manifest. It is a
 * module of its own (adapters/<provider>/account.ts, registry adapters/accounts.ts) so the
 * handlers that connect, refresh, proxy or revoke load it without the provider's syncs,
 * actions and webhook handling (and the record models those map to).
 */
export const defineAccount = <M extends ProviderManifest>(
  manifest: M,
  code: AccountCode<M>,
): AccountOf<M> => {
  // An app install is taken only for the person who can access it (core/connections/oauth-callback.ts),
  // and core offers app installs from the manifest alone: the check must come with the declaration.
  if (manifest.auth.app_install && typeof code.appInstall?.userCanAccessInstallation !== 'function') {
    throw problem(manifest.name, 'account.ts', 'app installs declared without userCanAccessInstallation', [
      'appInstall',
    ]);
  }
  const oauth =
    code.oauth ?? (manifest.auth.oauth2 ? oauth2Flow({ provider: manifest.displayName }) : undefined);
  return {
    manifest,
    verifyCredentials: code.verifyCredentials,
    ...(code.resolveBaseUrl ? { resolveBaseUrl: code.resolveBaseUrl } : {}),
    ...(oauth ? { oauth } : {}),
    ...(code.appInstall ? { appInstall: code.appInstall } : {}),
    ...(code.revoke ? { revoke: code.revoke } : {}),
    ...(code.connectionKeys ? { connectionKeys: code.connectionKeys } : {}),
  };
};

/** Operations of a kind, as declared and as coded: both name the same, or the provider's module fails to load. */
const checkJoin = (
  provider: string,
  file: string,
  what: string,
  declared: readonly { name: string }[],
  coded: object,
) => {
  const names = new Set(declared.map((d) => d.name));
  const missing = [...names].filter((n) => !Object.hasOwn(coded, n));
  const undeclared = Object.keys(coded).filter((n) => !names.has(n));
  if (missing.length > 0) throw problem(provider, file, `${what} declared without code`, missing);
  if (undeclared.length > 0) throw problem(provider, file, `${what} coded without a declaration`, undeclared);
};

/**
 * A provider's actions bound to its account: what running a tool takes (core/tools/execute.ts,
 * through adapters/toolsets.ts), without the provider's syncs and webhook handling. A module
 * of its own per provider (adapters/<provider>/toolset.ts), on which its implementation
 * builds: each declared action becomes one object with a `prepare` that parses the input with
 * the declared schema and binds the code to what it parsed.
 */
export const withActions = <M extends ProviderManifest>(
  account: AccountOf<M>,
  code: ActionsPart<M>,
): ToolsetOf<M> => {
  const manifest = account.manifest;
  // ActionsPart<M> types each function by the declaration of the same name; TypeScript can't
  // follow that correlation through the loop below, so here each takes a parsed object.
  const actionCode = (code.actions ?? {}) as Readonly<Record<string, ActionCode<ActionDeclaration>>>;
  checkJoin(manifest.name, 'toolset.ts', 'actions', manifest.actions, actionCode);
  const actions = byName<Action>(
    manifest.actions.map((d) => {
      const exec = actionCode[d.name] as ActionCode<ActionDeclaration>;
      return {
        ...d,
        prepare: (input) => {
          const parsed = d.input.safeParse(input);
          if (!parsed.success) return { success: false, issues: parsed.error.issues };
          return { success: true, input: parsed.data, run: (ctx) => exec(ctx, parsed.data) };
        },
      };
    }),
  );
  return { ...account, actions };
};

/**
 * Binds a provider's syncs and webhook handling to its toolset (its account and actions):
 * each declared sync becomes one object with its `fetchPage`.
 *
 * The manifest stays data (handlers that only describe providers read its description
 * without loading any code); the join with the code is checked by the compiler —
 * `OperationsCode<M>` and `ActionsPart<M>` demand a function for every declared name, typed
 * by its declaration, and refuse undeclared ones — and again when the provider's module
 * loads, for code that escaped the type (a test loads every provider).
 */
export const implement = <M extends ProviderManifest>(
  toolset: ToolsetOf<M>,
  code: OperationsCode<M>,
): Adapter => {
  const manifest = toolset.manifest;
  const syncCode: Readonly<Record<string, SyncCode>> = code.syncs ?? {};
  checkJoin(manifest.name, 'index.ts', 'syncs', manifest.syncs, syncCode);
  // Routing needs both ends: keys from the event (webhooks.route) and from the connection.
  if (code.webhooks && typeof toolset.connectionKeys !== 'function') {
    throw problem(manifest.name, 'account.ts', 'webhook code without connectionKeys', ['connectionKeys']);
  }
  const syncs = byName<Sync>(manifest.syncs.map((d) => ({ ...d, fetchPage: syncCode[d.name] as SyncCode })));
  return { ...toolset, syncs, ...(code.webhooks ? { webhooks: code.webhooks } : {}) };
};
