import type { Adapter } from '../types';
import { actions } from './actions';
import { manifest } from './manifest';
import { syncs } from './syncs';
import { resolveBaseUrl, verifyCredentials } from './verify';

export const datadog: Adapter = { manifest, verifyCredentials, resolveBaseUrl, syncs, actions };
