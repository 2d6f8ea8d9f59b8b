import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { getAdapter, listAdapters } from '../../adapters';
import { categories, models } from '../../adapters/types';

const adapters = listAdapters();

describe('adapter manifests', () => {
  it('registers the providers under unique names', () => {
    const names = adapters.map((a) => a.manifest.name);
    expect(new Set(names).size).toBe(names.length);
    // Every provider folder is registered, and the registry holds nothing else: a new
    // provider's folder plus its registry line is all this check needs.
    const folders = readdirSync(join(dirname(fileURLToPath(import.meta.url)), '../../adapters'), {
      withFileTypes: true,
    })
      .filter((d) => d.isDirectory())
      .map((d) => d.name.replaceAll('-', '_'));
    expect(names.sort()).toEqual(folders.sort());
    expect(names).toContain('github');
  });

  describe.each(adapters.map((a) => [a.manifest.name, a.manifest] as const))('%s', (name, m) => {
    it('is found by name and uses known categories and models', () => {
      expect(getAdapter(name)?.manifest).toBe(m);
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

  it('validates action input with the declared schema', () => {
    const create = getAdapter('github')?.manifest.actions.find((a) => a.name === 'create_issue');
    expect(create?.input.safeParse({ repo: 'acme/product', title: 'Bug' }).success).toBe(true);
    expect(create?.input.safeParse({ repo: 'not a repo', title: '' }).success).toBe(false);
  });
});
