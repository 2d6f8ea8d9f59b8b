import { oauth } from '../azure-devops/oauth';
import { verifyCredentials } from '../azure-devops/verify';
import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { syncs } from './syncs';
import { webhooks } from './webhooks';

/** Azure Boards: the Azure DevOps organization API's work tracking, its credentials and hooks shared with Azure DevOps. */
export const azureBoards = implement(manifest, { verifyCredentials, oauth, syncs, actions, webhooks });
