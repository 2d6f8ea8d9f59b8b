import { oauth } from '../azure-devops/oauth';
import { verifyCredentials } from '../azure-devops/verify';
import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { webhooks } from './webhooks';

export const account = defineAccount(manifest, {
  verifyCredentials,
  oauth,
  connectionKeys: webhooks.connectionKeys,
});
