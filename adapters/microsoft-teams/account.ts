import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const account = defineAccount(manifest, {
  verifyCredentials,
  oauth,
  connectionKeys: webhooks.connectionKeys,
});
