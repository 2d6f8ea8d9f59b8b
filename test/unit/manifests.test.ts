import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { loadAdapter } from '../../adapters';
import { loadAccount } from '../../adapters/accounts';
import { loadConfigSchema } from '../../adapters/configs';
import { isProviderName, loadManifest, loadManifests, providerNames } from '../../adapters/manifests';
import { loadToolset } from '../../adapters/toolsets';
import { categories, models } from '../../adapters/types';
import { parseToolName } from '../../core/tools/catalog';

const adaptersDir = join(dirname(fileURLToPath(import.meta.url)), '../../adapters');
const manifests = await loadManifests();

describe('adapter manifests', () => {
  it('registers the providers under unique names', () => {
    const names = manifests.map((m) => m.name);
    expect(names).toEqual(providerNames);
    expect(new Set(names).size).toBe(names.length);
    // Every provider folder is registered, and the registry holds nothing else: a new
    // provider's folder plus its registry lines is all this check needs.
    // adapters/model-schemas holds the record models' generated JSON Schemas (adapters/schemas.ts).
    const folders = readdirSync(adaptersDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'model-schemas')
      .map((d) => d.name.replaceAll('-', '_'));
    expect([...names].sort()).toEqual(folders.sort());
    expect(names).toContain('github');
  });

  it('finds nothing under a name that is no provider, inherited ones included', async () => {
    for (const name of ['gitbub', 'constructor', '__proto__', 'toString', '']) {
      expect(await loadManifest(name)).toBeUndefined();
      expect(await loadAdapter(name)).toBeUndefined();
      expect(await loadAccount(name)).toBeUndefined();
      expect(await loadToolset(name)).toBeUndefined();
      expect(await loadConfigSchema(name)).toBeUndefined();
    }
  });

  it('names every tool once, and each tool name back to its provider and action', () => {
    const tools = manifests.flatMap((m) => m.actions.map((a) => [`${m.name}_${a.name}`, m.name, a.name]));
    expect(new Set(tools.map(([t]) => t)).size).toBe(tools.length);
    for (const [tool, provider, action] of tools) {
      expect(parseToolName(tool as string, isProviderName)).toEqual({ provider, action });
    }
  });

  describe.each(manifests.map((m) => [m.name, m] as const))('%s', (name, m) => {
    const importsOf = (module: string) =>
      [
        ...readFileSync(join(adaptersDir, name.replaceAll('_', '-'), module), 'utf8').matchAll(
          /^(?:import|export) .* from '([^']+)';$/gm,
        ),
      ].map((x) => x[1]);

    it('is data: its module imports zod, the adapter types and its config, no provider code', () => {
      const imports = importsOf('manifest.ts');
      expect(imports).toContain('./config');
      expect(
        imports.every((spec) => spec === 'zod/mini' || spec === '../types' || spec === './config'),
        imports.join(', '),
      ).toBe(true);
    });

    it('declares its config schema in config.ts, zod only, and the config registry holds that one', async () => {
      // zod only, or another provider's config whose account this one shares (Azure Boards').
      const imports = importsOf('config.ts');
      expect(imports.length, name).toBe(1);
      expect(imports[0], name).toMatch(/^(zod\/mini|\.\.\/[a-z-]+\/config)$/);
      // The very object, not an equal copy: PATCH validates with the registry's, POST with the
      // manifest's, and a schema declared twice could drift apart.
      expect(await loadConfigSchema(name)).toBe(m.config);
    });

    it('has one implementation, bound to this very manifest', async () => {
      // implement() refuses, when the module loads, a declaration without code and code without one.
      const adapter = await loadAdapter(name);
      expect(adapter?.manifest).toBe(m);
      expect(Object.keys(adapter?.syncs ?? {})).toEqual(m.syncs.map((s) => s.name));
      expect(Object.keys(adapter?.actions ?? {})).toEqual(m.actions.map((a) => a.name));
      expect(adapter?.oauth !== undefined).toBe(m.auth.oauth2 !== undefined);
      expect(adapter?.appInstall !== undefined).toBe(m.auth.app_install !== undefined);
      // Webhook code routes by keys from both ends: the account carries the connection's.
      if (adapter?.webhooks) expect(typeof adapter.connectionKeys).toBe('function');
    });

    it('has one account and one toolset, the same code as its implementation', async () => {
      const adapter = await loadAdapter(name);
      const account = await loadAccount(name);
      const toolset = await loadToolset(name);
      expect(account?.manifest).toBe(m);
      expect(toolset?.manifest).toBe(m);
      for (const key of [
        'verifyCredentials',
        'resolveBaseUrl',
        'oauth',
        'appInstall',
        'revoke',
        'connectionKeys',
      ] as const) {
        expect(account?.[key], key).toBe(adapter?.[key]);
        expect(toolset?.[key], key).toBe(adapter?.[key]);
      }
      expect(Object.keys(toolset?.actions ?? {})).toEqual(m.actions.map((a) => a.name));
      // The implementation builds on the toolset: the very actions, bound once.
      expect(adapter?.actions).toBe(toolset?.actions);
    });

    it('is found by name and uses known categories and models', async () => {
      expect(await loadManifest(name)).toBe(m);
      expect(m.name).toMatch(/^[a-z][a-z0-9_]*$/);
      for (const c of m.categories) expect(categories).toContain(c);
      for (const s of m.syncs) expect(models).toContain(s.model);
    });

    it('declares at least one auth mode with https endpoints (a file import: none, and no API)', () => {
      const modes = Object.keys(m.auth);
      if (m.categories.includes('file_import')) {
        // CSV import: nothing to connect to; rows arrive as uploaded files.
        expect(modes).toEqual([]);
        expect(m.apiBaseUrl).toBe('');
        expect(m.syncs.length + m.actions.length).toBe(0);
        return;
      }
      expect(modes.length).toBeGreaterThan(0);
      if (m.auth.oauth2) {
        expect(m.auth.oauth2.authorizationUrl).toMatch(/^https:\/\//);
        expect(m.auth.oauth2.tokenUrl).toMatch(/^https:\/\//);
      }
      expect(m.apiBaseUrl).toMatch(/^https:\/\//);
    });

    it('has unique sync and action names and valid frequencies', () => {
      const syncs = m.syncs.map((s) => s.name);
      const actions = m.actions.map((a) => a.name);
      expect(new Set(syncs).size).toBe(syncs.length);
      expect(new Set(actions).size).toBe(actions.length);
      for (const s of m.syncs) expect(s.defaultFrequency).toMatch(/^\d+[mhd]$/);
      for (const a of actions) expect(a).toMatch(/^[a-z][a-z_]*$/);
    });

    it('publishes an object JSON Schema for every action input and its config', () => {
      for (const a of m.actions) {
        const schema = z.toJSONSchema(a.input) as { type: string };
        expect(schema.type, a.name).toBe('object');
      }
      expect((z.toJSONSchema(m.config) as { type: string }).type).toBe('object');
      // An empty config is always valid: every config field is optional.
      expect(m.config.safeParse({}).success).toBe(true);
    });
  });

  it('validates action input with the declared schema', async () => {
    const create = (await loadManifest('github'))?.actions.find((a) => a.name === 'create_issue');
    expect(create?.input.safeParse({ repo: 'acme/product', title: 'Bug' }).success).toBe(true);
    expect(create?.input.safeParse({ repo: 'not a repo', title: '' }).success).toBe(false);
  });
});
