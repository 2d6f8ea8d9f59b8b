import type { ProviderName } from './manifests';

/**
 * A registry's loader: one provider's module imported on first use, the load kept once
 * started. `import()` of a module already loaded still resolves its specifier on every call
 * (and through loader hooks locally), which at webhook rate was a quarter of the receiver's
 * CPU (`npm run bench -- webhooks`, profiled). A failed load is not kept: the next call tries
 * again. Names are looked up as own keys only (a request's `constructor` finds nothing).
 *
 * Each line of a registry is a bare `() => import('./<provider>/<part>')` and the export is
 * picked here, once (`key`): a registry line is what every further provider adds to each
 * handler that imports the registry, so it stays as short as it can be
 * (`npm run bench -- handlers`, "+KB/provider").
 */
export const lazyRegistry = <K extends string, T>(
  key: K,
  loaders: Record<ProviderName, () => Promise<Record<K, T>>>,
) => {
  const loaded = new Map<ProviderName, Promise<T>>();
  return {
    /** Whether a provider of that name is registered (no load). */
    has: (name: string): boolean => Object.hasOwn(loaders, name),
    /** One provider's module, loaded on first use; undefined for a name that is no provider's. */
    load: async (name: string): Promise<T | undefined> => {
      if (!Object.hasOwn(loaders, name)) return undefined;
      const provider = name as ProviderName;
      let load = loaded.get(provider);
      if (!load) {
        load = loaders[provider]().then((m) => m[key]);
        loaded.set(provider, load);
        load.catch(() => loaded.delete(provider));
      }
      return load;
    },
  };
};
