// Google's OAuth server serves every Google API alike: the token flow and the revocation
// are Google Calendar's own code, not a copy of it.
import { oauth } from '../google-calendar/oauth';
import { revoke } from '../google-calendar/revoke';
import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';

export const gmail = implement(manifest, { verifyCredentials, oauth, syncs, actions, revoke });
