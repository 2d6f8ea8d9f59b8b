import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const outlook = implement(manifest, { verifyCredentials, oauth, syncs, actions, webhooks });
