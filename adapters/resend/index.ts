import { implement } from '../implement';
import { account } from './account';
import { actions } from './actions';
import { webhooks } from './webhooks';

export const adapter = implement(account, { actions, webhooks });
