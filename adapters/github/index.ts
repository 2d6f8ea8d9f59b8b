import type { Adapter } from '../types';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';

export const github: Adapter = { manifest, verifyCredentials };
