import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';

export const clickup = implement(manifest, { verifyCredentials, oauth, syncs, actions });
