import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { oauth } from './oauth';
import { revoke } from './revoke';
import { syncs } from './syncs';
import { verifyCredentials } from './verify';

export const googleCalendar = implement(manifest, { verifyCredentials, oauth, syncs, actions, revoke });
