import { loadDescription } from '../../adapters/descriptions';
import { IMPORT_MODELS } from '../imports/mapping';

/**
 * The models a connection's records may be in: what its provider's syncs write, and for a
 * file import (CSV) what imports write.
 */
export const recordModelsOf = async (provider: string): Promise<string[]> => {
  const m = await loadDescription(provider);
  if (!m) return [];
  return [
    ...new Set([
      ...m.syncs.map((s) => s.model),
      ...(m.categories.includes('file_import') ? IMPORT_MODELS : []),
    ]),
  ];
};
