import { implement } from '../implement';
import { account } from './account';

/** Neither syncs nor actions: a CSV connection's records come from its imports. */
export const adapter = implement(account, { syncs: {}, actions: {} });
