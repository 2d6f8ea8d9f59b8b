import { implement } from '../implement';
import { toolset } from './toolset';

/** Neither syncs nor actions: a CSV connection's records come from its imports. */
export const adapter = implement(toolset, { syncs: {} });
