import { implement } from '../implement';
import { syncs } from './syncs';
import { toolset } from './toolset';
import { webhooks } from './webhooks';

/** Azure Boards: the Azure DevOps organization API's work tracking, its credentials and hooks shared with Azure DevOps. */
export const adapter = implement(toolset, { syncs, webhooks });
