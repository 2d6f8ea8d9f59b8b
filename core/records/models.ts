import { loadDescription } from '../../adapters/descriptions';
import type { PlainManifest } from '../../adapters/types';
import { IMPORT_MODELS } from '../imports/mapping';

/**
 * The models a connection's records may be in: what its provider's syncs write, and for a
 * file import (CSV) what imports write.
 */
export const recordModelsOf = async (provider: string): Promise<string[]> => {
  const m = await loadDescription(provider);
  return m ? recordModelsIn(m) : [];
};

/** The same, from a manifest or a description at hand (a handler that loaded the adapter). */
export const recordModelsIn = (
  m: Pick<PlainManifest, 'categories'> & { syncs: readonly { model: string }[] },
) => [
  ...new Set([
    ...m.syncs.map((s) => s.model),
    ...(m.categories.includes('file_import') ? IMPORT_MODELS : []),
  ]),
];
