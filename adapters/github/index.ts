import { implement } from '../implement';
import { actions } from './actions';
import { appInstall } from './installation-token';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { revoke } from './revoke';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const github = implement(manifest, {
  verifyCredentials,
  oauth,
  appInstall,
  syncs,
  actions,
  webhooks,
  revoke,
});
