import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { resolveBaseUrl, verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const account = defineAccount(manifest, {
  verifyCredentials,
  resolveBaseUrl,
  connectionKeys: webhooks.connectionKeys,
});
