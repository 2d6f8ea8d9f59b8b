import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cache = new Map<string, Promise<unknown>>();

/** Imports a handler module once, as a Lambda container would at cold start. */
export const loadHandler = async <H>(handlerPath: string): Promise<H> => {
  let mod = cache.get(handlerPath);
  if (!mod) {
    mod = import(pathToFileURL(resolve(root, handlerPath)).href);
    cache.set(handlerPath, mod);
  }
  const m = (await mod) as { handler?: H };
  if (typeof m.handler !== 'function') throw new Error(`${handlerPath} exports no handler`);
  return m.handler;
};
