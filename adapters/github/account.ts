import { defineAccount } from '../implement';
import { appInstall } from './installation-token';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { revoke } from './revoke';
import { verifyCredentials } from './verify';
import { connectionKeys } from './webhook-keys';

export const account = defineAccount(manifest, {
  verifyCredentials,
  oauth,
  appInstall,
  revoke,
  connectionKeys,
});
