import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { revoke } from './revoke';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const stripe = implement(manifest, { verifyCredentials, oauth, syncs, actions, webhooks, revoke });
