import { implement } from '../implement';
import { syncs } from './syncs';
import { toolset } from './toolset';

export const adapter = implement(toolset, { syncs });
