import { withActions } from '../implement';
import { account } from './account';
import { actions } from './actions';

export const toolset = withActions(account, { actions });
