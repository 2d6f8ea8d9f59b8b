import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

/** Azure DevOps: Azure Repos and Azure Pipelines of one organization (Azure Boards is its own provider). */
export const azureDevOps = implement(manifest, { verifyCredentials, oauth, syncs, actions, webhooks });
