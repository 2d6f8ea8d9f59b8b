import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { syncs } from './syncs';
import { resolveBaseUrl, verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const datadog = implement(manifest, { verifyCredentials, resolveBaseUrl, syncs, actions, webhooks });
