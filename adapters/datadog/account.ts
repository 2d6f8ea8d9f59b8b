import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { resolveBaseUrl, verifyCredentials } from './verify';
import { connectionKeys } from './webhook-keys';

export const account = defineAccount(manifest, {
  verifyCredentials,
  resolveBaseUrl,
  connectionKeys,
});
