import { implement } from '../implement';
import { account } from './account';
import { actions } from './actions';
import { syncs } from './syncs';

export const adapter = implement(account, { syncs, actions });
