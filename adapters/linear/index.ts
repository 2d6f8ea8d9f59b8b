import type { Adapter } from '../types';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { verifyCredentials } from './verify';

export const linear: Adapter = { manifest, verifyCredentials, oauth };
