import type { Adapter } from '../types';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { resolveBaseUrl, verifyCredentials } from './verify';

export const gitlab: Adapter = { manifest, verifyCredentials, resolveBaseUrl, oauth };
