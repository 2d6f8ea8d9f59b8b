import { oauth2Flow } from './oauth2';
import type {
  Action,
  ActionCode,
  ActionDeclaration,
  Adapter,
  Implementation,
  ProviderManifest,
  Sync,
  SyncCode,
} from './types';

/** Operations by name, without a prototype: a name from a request (`constructor`) finds nothing. */
const byName = <T extends { name: string }>(items: T[]): Readonly<Record<string, T>> =>
  Object.assign(Object.create(null) as Record<string, T>, Object.fromEntries(items.map((i) => [i.name, i])));

/**
 * Binds a provider's code to its manifest's declarations: each declared sync becomes one
 * object with its `fetchPage`, each declared action one object with a `prepare` that parses
 * the input with the declared schema and runs the code with what it parsed.
 *
 * The manifest stays data (handlers that only describe providers read it without loading
 * any code); the join with the code is checked by the compiler — `Implementation<M>`
 * demands a function for every declared name, typed by its declaration, and refuses
 * undeclared ones — and again here, when the provider's module loads, for code that escaped
 * the type (a test loads every provider).
 */
export const implement = <M extends ProviderManifest>(manifest: M, code: Implementation<M>): Adapter => {
  const syncCode: Readonly<Record<string, SyncCode>> = code.syncs ?? {};
  // `Implementation<M>` types each function by the declaration of the same name; TypeScript
  // can't follow that correlation through the loop below, so here each takes a parsed object.
  const actionCode = (code.actions ?? {}) as Readonly<Record<string, ActionCode<ActionDeclaration>>>;
  const problem = (kind: string, names: string[]) =>
    new Error(`${manifest.name}: ${kind}: ${names.join(', ')} (adapters/${manifest.name}/index.ts)`);
  const check = (what: string, declared: readonly { name: string }[], coded: object) => {
    const names = new Set(declared.map((d) => d.name));
    const missing = [...names].filter((n) => !Object.hasOwn(coded, n));
    const undeclared = Object.keys(coded).filter((n) => !names.has(n));
    if (missing.length > 0) throw problem(`${what} declared without code`, missing);
    if (undeclared.length > 0) throw problem(`${what} coded without a declaration`, undeclared);
  };
  check('syncs', manifest.syncs, syncCode);
  check('actions', manifest.actions, actionCode);
  // An app install is taken only for the person who can access it (core/connections/oauth-callback.ts),
  // and core offers app installs from the manifest alone: the check must come with the declaration.
  if (manifest.auth.app_install && typeof code.appInstall?.userCanAccessInstallation !== 'function') {
    throw problem('app installs declared without userCanAccessInstallation', ['appInstall']);
  }

  const syncs = byName<Sync>(manifest.syncs.map((d) => ({ ...d, fetchPage: syncCode[d.name] as SyncCode })));
  const actions = byName<Action>(
    manifest.actions.map((d) => {
      const exec = actionCode[d.name] as ActionCode<ActionDeclaration>;
      const action: Action = {
        ...d,
        prepare: (input) => {
          const parsed = d.input.safeParse(input);
          if (!parsed.success) return { success: false, issues: parsed.error.issues };
          return { success: true, input: parsed.data, run: (ctx) => exec(ctx, parsed.data) };
        },
      };
      return action;
    }),
  );
  const oauth =
    code.oauth ?? (manifest.auth.oauth2 ? oauth2Flow({ provider: manifest.displayName }) : undefined);
  return {
    manifest,
    verifyCredentials: code.verifyCredentials,
    ...(code.resolveBaseUrl ? { resolveBaseUrl: code.resolveBaseUrl } : {}),
    ...(oauth ? { oauth } : {}),
    ...(code.appInstall ? { appInstall: code.appInstall } : {}),
    syncs,
    actions,
    ...(code.webhooks ? { webhooks: code.webhooks } : {}),
    ...(code.revoke ? { revoke: code.revoke } : {}),
  };
};
