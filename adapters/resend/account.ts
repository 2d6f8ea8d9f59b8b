import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';
import { connectionKeys } from './webhook-keys';

export const account = defineAccount(manifest, {
  verifyCredentials,
  connectionKeys,
});
