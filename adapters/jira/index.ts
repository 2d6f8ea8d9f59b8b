import type { Adapter } from '../types';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { syncs } from './syncs';
import { resolveBaseUrl, verifyCredentials } from './verify';

export const jira: Adapter = { manifest, verifyCredentials, resolveBaseUrl, oauth, syncs };
