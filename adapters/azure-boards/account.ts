import { oauth } from '../azure-devops/oauth';
import { verifyCredentials } from '../azure-devops/verify';
import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { connectionKeys } from './webhook-keys';

export const account = defineAccount(manifest, {
  verifyCredentials,
  oauth,
  connectionKeys,
});
