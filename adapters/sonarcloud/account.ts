import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';

export const account = defineAccount(manifest, { verifyCredentials });
