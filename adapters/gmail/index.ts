import { implement } from '../implement';
import { account } from './account';
import { actions } from './actions';
import { syncs } from './syncs';

export const gmail = implement(account, { syncs, actions });
