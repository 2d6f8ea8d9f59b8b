import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { verifyCredentials } from './verify';

export const account = defineAccount(manifest, { verifyCredentials, oauth });
