import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const account = defineAccount(manifest, {
  verifyCredentials,
  connectionKeys: webhooks.connectionKeys,
});
