import { implement } from '../implement';
import { syncs } from './syncs';
import { toolset } from './toolset';
import { webhooks } from './webhooks';

/** Azure DevOps: Azure Repos and Azure Pipelines of one organization (Azure Boards is its own provider). */
export const adapter = implement(toolset, { syncs, webhooks });
