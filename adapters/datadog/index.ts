import type { Adapter } from '../types';
import { manifest } from './manifest';
import { resolveBaseUrl, verifyCredentials } from './verify';

export const datadog: Adapter = { manifest, verifyCredentials, resolveBaseUrl };
