import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';

export const sonarcloud = implement(manifest, { verifyCredentials, syncs, actions });
