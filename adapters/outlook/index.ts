import { implement } from '../implement';
import { syncs } from './syncs';
import { toolset } from './toolset';
import { webhooks } from './webhooks';

export const adapter = implement(toolset, { syncs, webhooks });
