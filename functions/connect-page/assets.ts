import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The connect page's static files: plain CSS and JavaScript in ./assets/, read once per
 * container. Relative to this module, which the bundle replaces with its index.mjs — the
 * route table's `assets` copies the folder beside it (lib/house-function.ts), so the same
 * path works locally and on Lambda. Files rather than strings in TypeScript so Biome lints
 * them as what they are.
 */
export type Asset = { body: string; contentType: string; hash: string };

const types: Record<string, string> = {
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/** The files the routes serve, by name: nothing else in the folder is reachable. */
export const ASSET_NAMES = ['connect.css', 'connect-page.js', 'connect.js'] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

const cache = new Map<AssetName, Asset>();

export const asset = (name: AssetName): Asset => {
  let a = cache.get(name);
  if (!a) {
    const body = readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    a = {
      body,
      contentType: types[name.slice(name.lastIndexOf('.') + 1)] as string,
      hash: createHash('sha256').update(body).digest('base64url').slice(0, 12),
    };
    cache.set(name, a);
  }
  return a;
};

export const isAssetName = (name: string): name is AssetName =>
  (ASSET_NAMES as readonly string[]).includes(name);
