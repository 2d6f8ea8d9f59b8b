import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { resolveBaseUrl, verifyCredentials } from './verify';
import { connectionKeys } from './webhook-keys';

export const account = defineAccount(manifest, {
  verifyCredentials,
  resolveBaseUrl,
  oauth,
  connectionKeys,
});
