import { implement } from '../implement';
import { account } from './account';
import { actions } from './actions';
import { syncs } from './syncs';
import { webhooks } from './webhooks';

export const adapter = implement(account, { syncs, actions, webhooks });
