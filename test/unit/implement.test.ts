import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { defineAccount, implement, withActions } from '../../adapters/implement';
import {
  type AccountCode,
  type ActionContext,
  type ActionsPart,
  defineAction,
  defineManifest,
  defineSync,
  type OperationsCode,
  type ProviderManifest,
} from '../../adapters/types';

/**
 * `defineAccount()`, `withActions()` and `implement()` bind code to a manifest's declarations. What its type refuses is checked by
 * `tsc` (every `@ts-expect-error` below must meet an error, or the build fails); what escapes
 * the type (an object built without it) is refused when the provider's module loads.
 */

const manifest = defineManifest({
  name: 'acme',
  displayName: 'Acme',
  categories: ['task_manager'],
  curated: false,
  docsUrl: 'https://acme.example',
  apiBaseUrl: 'https://api.acme.example',
  hosts: ['acme.example', '*.acme.example'],
  auth: {
    api_key: {
      fields: [{ name: 'api_key', label: 'API key', secret: true }],
      docsUrl: 'https://acme.example',
    },
  },
  proxy: { headers: { api_key: { authorization: 'Bearer {api_key}' } } },
  config: z.object({}),
  syncs: [
    defineSync({
      name: 'tasks',
      model: 'work_item',
      description: 'Tasks.',
      defaultFrequency: '1h',
      incremental: false,
    }),
  ],
  actions: [
    defineAction({
      name: 'add',
      description: 'Adds.',
      writes: false,
      input: z.object({ a: z.number(), b: z.optional(z.number()) }),
      projectField: 'a',
    }),
    defineAction({
      name: 'named',
      description: 'Names.',
      writes: true,
      input: z.object({}),
      output: z.object({ name: z.string() }),
    }),
  ],
});

const verifyCredentials = async () => ({ account: { id: '1', name: 'acme' } });
const tasks = async () => ({ records: [] });
const userCanAccessInstallation = async () => true;

/** A provider with app installs (bound to the installing user through its OAuth client). */
const appManifest = defineManifest({
  ...manifest,
  syncs: [],
  actions: [],
  auth: {
    oauth2: {
      authorizationUrl: 'https://acme.example/authorize',
      tokenUrl: 'https://acme.example/token',
      defaultScopes: [],
      scopeSeparator: ' ',
      pkce: true,
      refreshes: false,
      docsUrl: 'https://acme.example',
    },
    app_install: {
      installUrl: 'https://acme.example/apps/{slug}/installations/new',
      fields: [],
      docsUrl: 'https://acme.example',
    },
  },
});
const ctx = {} as ActionContext;

describe('implement()', () => {
  const account = defineAccount(manifest, { verifyCredentials });

  it('binds each action to its declaration, with the input its schema parsed', async () => {
    const toolset = withActions(account, {
      actions: {
        // `input` is typed by the schema: `a` a number, `b` an optional number.
        add: async (_ctx, input) => ({ sum: input.a + (input.b ?? 0) }),
        named: async () => ({ name: 'acme' }),
      },
    });
    const adapter = implement(toolset, { syncs: { tasks } });
    // The implementation builds on the toolset: its actions bound once.
    expect(adapter.actions).toBe(toolset.actions);
    expect(adapter.manifest).toBe(manifest);
    expect(adapter.verifyCredentials).toBe(verifyCredentials);
    expect(adapter.syncs.tasks?.model).toBe('work_item');
    expect(adapter.syncs.tasks?.fetchPage).toBe(tasks);
    const add = adapter.actions.add;
    expect(add?.projectField).toBe('a');
    const ok = add?.prepare({ a: 2, b: 3 });
    expect(ok?.success && (await ok.run(ctx))).toEqual({ sum: 5 });
    const refused = add?.prepare({ a: 'two' });
    expect(refused?.success).toBe(false);
    expect(!refused?.success && refused?.issues[0]?.path).toEqual(['a']);
    // Looked up by a name from a request: nothing inherited answers.
    expect(adapter.actions.constructor).toBeUndefined();
    expect(adapter.syncs.toString).toBeUndefined();
  });

  // Each case is an error the compiler must report (`npm test` runs tsc, which fails on an
  // expected error that does not occur); what implement() can also see at run time is asserted too.
  it('refuses, at compile time, code missing or undeclared and code that misreads its declaration', () => {
    const code = (c: OperationsCode<typeof manifest>) => c;
    const actionsOf = (c: ActionsPart<typeof manifest>) => c;
    const toolset = withActions(account, {
      actions: { add: async () => ({}), named: async () => ({ name: 'x' }) },
    });
    expect(() =>
      withActions(
        account,
        actionsOf({
          // @ts-expect-error: `named` is declared and has no code
          actions: { add: async () => ({}) },
        }),
      ),
    ).toThrow(/actions declared without code: named/);
    expect(() =>
      withActions(
        account,
        actionsOf({
          actions: {
            add: async () => ({}),
            named: async () => ({ name: 'x' }),
            // @ts-expect-error: `extra` is not declared
            extra: async () => ({}),
          },
        }),
      ),
    ).toThrow(/actions coded without a declaration: extra/);
    expect(() =>
      implement(
        toolset,
        code({
          // @ts-expect-error: the sync `tasks` has no code
          syncs: {},
        }),
      ),
    ).toThrow(/syncs declared without code: tasks/);
    // Misreading the declaration is the compiler's alone to see: at run time it binds.
    const misread = withActions(
      account,
      actionsOf({
        actions: {
          // @ts-expect-error: the input has no `c`
          add: async (_ctx, input) => ({ c: input.c }),
          // @ts-expect-error: the declared output has `name` a string
          named: async () => ({ name: 1 }),
        },
      }),
    );
    expect(Object.keys(misread.actions).sort()).toEqual(['add', 'named']);
    // Webhook code only where the manifest declares webhooks.
    // @ts-expect-error: the manifest declares no webhooks
    code({ syncs: { tasks }, webhooks: {} });
    const accountOf = (c: AccountCode<typeof manifest>) => c;
    const extraInstall = defineAccount(
      manifest,
      accountOf({
        verifyCredentials,
        // @ts-expect-error: the manifest declares no app installs
        appInstall: { mintInstallationToken: async () => ({ accessToken: 't' }), userCanAccessInstallation },
      }),
    );
    expect(extraInstall.manifest.auth.app_install).toBeUndefined();
    // @ts-expect-error: connection keys only for a provider that declares webhooks
    accountOf({ verifyCredentials, connectionKeys: () => [] });
    const installs = (c: AccountCode<typeof appManifest>) => c;
    expect(() =>
      defineAccount(
        appManifest,
        installs({
          verifyCredentials,
          // @ts-expect-error: an app install without the check of whose installation it is
          appInstall: { mintInstallationToken: async () => ({ accessToken: 't' }) },
        }),
      ),
    ).toThrow(/app installs declared without userCanAccessInstallation/);
    // @ts-expect-error: the manifest declares app installs, and there is no code for them
    expect(() => defineAccount(appManifest, installs({ verifyCredentials }))).toThrow(
      /app installs declared without userCanAccessInstallation/,
    );
    const action = defineAction({
      name: 'x',
      description: 'x',
      writes: false,
      input: z.object({ a: z.string() }),
      // @ts-expect-error: the project field must be one of the input's
      projectField: 'b',
    });
    expect(action.projectField).toBe('b');
  });

  it('refuses, when the module loads, what escaped the type', () => {
    const loose = defineAccount(manifest as ProviderManifest, { verifyCredentials });
    const add = async () => ({});
    expect(() => withActions(loose, { actions: { add } })).toThrow(/actions declared without code: named/);
    expect(() =>
      withActions(loose, { actions: { add, named: async () => ({}), gone: async () => ({}) } }),
    ).toThrow(/actions coded without a declaration: gone/);
    const all = { actions: { add, named: async () => ({}) } };
    expect(() => implement(withActions(loose, all), { syncs: {} })).toThrow(
      /syncs declared without code: tasks/,
    );
    // Webhook code routes events to connections by keys from both ends: the account's must exist.
    const hooks = { verify: () => ({ kind: 'handshake' }), route: () => [], apply: () => undefined } as never;
    expect(() => implement(withActions(loose, all), { syncs: { tasks }, webhooks: hooks })).toThrow(
      /webhook code without connectionKeys/,
    );
    const keyed = defineAccount(
      manifest as ProviderManifest,
      { verifyCredentials, connectionKeys: () => [] } as never,
    );
    expect(implement(withActions(keyed, all), { syncs: { tasks }, webhooks: hooks }).webhooks).toBe(hooks);
    // App installs are offered from the manifest alone: the code that binds one to its user must exist.
    const looseApp = appManifest as ProviderManifest;
    const mint = async () => ({ accessToken: 't' });
    expect(() => defineAccount(looseApp, { verifyCredentials } as never)).toThrow(
      /app installs declared without userCanAccessInstallation/,
    );
    expect(() =>
      defineAccount(looseApp, { verifyCredentials, appInstall: { mintInstallationToken: mint } } as never),
    ).toThrow(/app installs declared without userCanAccessInstallation/);
    expect(
      defineAccount(appManifest, {
        verifyCredentials,
        appInstall: { mintInstallationToken: mint, userCanAccessInstallation },
      }).appInstall?.userCanAccessInstallation,
    ).toBe(userCanAccessInstallation);
  });

  it('gives an OAuth provider without a flavour of its own the RFC 6749 flow', () => {
    const oauthManifest = defineManifest({
      ...manifest,
      syncs: [],
      actions: [],
      auth: {
        oauth2: {
          authorizationUrl: 'https://acme.example/authorize',
          tokenUrl: 'https://acme.example/token',
          defaultScopes: [],
          scopeSeparator: ' ',
          pkce: true,
          refreshes: true,
          docsUrl: 'https://acme.example',
        },
      },
    });
    const adapter = implement(withActions(defineAccount(oauthManifest, { verifyCredentials }), {}), {});
    expect(typeof adapter.oauth?.exchangeCode).toBe('function');
    expect(typeof adapter.oauth?.refreshToken).toBe('function');
    expect(
      implement(
        withActions(account, { actions: { add: async () => ({}), named: async () => ({ name: '' }) } }),
        {
          syncs: { tasks },
        },
      ).oauth,
    ).toBeUndefined();
  });
});
