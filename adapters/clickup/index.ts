import type { Adapter } from '../types';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { verifyCredentials } from './verify';

export const clickup: Adapter = { manifest, verifyCredentials, oauth };
