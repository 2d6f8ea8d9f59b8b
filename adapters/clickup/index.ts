import type { Adapter } from '../types';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';

export const clickup: Adapter = { manifest, verifyCredentials };
