import { implement } from '../implement';
import { account } from './account';
import { actions } from './actions';
import { syncs } from './syncs';
import { webhooks } from './webhooks';

/** Azure Boards: the Azure DevOps organization API's work tracking, its credentials and hooks shared with Azure DevOps. */
export const adapter = implement(account, { syncs, actions, webhooks });
