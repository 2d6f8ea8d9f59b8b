import type { Adapter } from '../types';
import { actions } from './actions';
import { manifest } from './manifest';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';

export const sonarcloud: Adapter = { manifest, verifyCredentials, syncs, actions };
