import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { revoke } from './revoke';
import { syncs } from './syncs';
import { resolveBaseUrl, verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const gitlab = implement(manifest, {
  verifyCredentials,
  resolveBaseUrl,
  oauth,
  syncs,
  actions,
  webhooks,
  revoke,
});
