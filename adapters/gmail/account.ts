// Google's OAuth server serves every Google API alike: the token flow and the revocation
// are Google Calendar's own code, not a copy of it.
import { oauth } from '../google-calendar/oauth';
import { revoke } from '../google-calendar/revoke';
import { defineAccount } from '../implement';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';

export const account = defineAccount(manifest, { verifyCredentials, oauth, revoke });
