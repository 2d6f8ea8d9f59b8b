import { withActions } from '../implement';
import { account } from './account';

/** No tools: a CSV connection only holds its imports' records. */
export const toolset = withActions(account, { actions: {} });
