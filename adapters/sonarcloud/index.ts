import type { Adapter } from '../types';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';

export const sonarcloud: Adapter = { manifest, verifyCredentials };
