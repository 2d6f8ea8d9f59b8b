import { implement } from '../implement';
import { toolset } from './toolset';
import { webhooks } from './webhooks';

export const adapter = implement(toolset, { webhooks });
