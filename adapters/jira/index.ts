import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { syncs } from './syncs';
import { resolveBaseUrl, verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const jira = implement(manifest, {
  verifyCredentials,
  resolveBaseUrl,
  oauth,
  syncs,
  actions,
  webhooks,
});
