import { implement } from '../implement';
import { account } from './account';

/** Neither syncs nor actions: a CSV connection's records come from its imports. */
export const csv = implement(account, { syncs: {}, actions: {} });
