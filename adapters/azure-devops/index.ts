import { implement } from '../implement';
import { account } from './account';
import { actions } from './actions';
import { syncs } from './syncs';
import { webhooks } from './webhooks';

/** Azure DevOps: Azure Repos and Azure Pipelines of one organization (Azure Boards is its own provider). */
export const adapter = implement(account, { syncs, actions, webhooks });
