import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { revoke } from './revoke';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const account = defineAccount(manifest, {
  verifyCredentials,
  oauth,
  revoke,
  connectionKeys: webhooks.connectionKeys,
});
