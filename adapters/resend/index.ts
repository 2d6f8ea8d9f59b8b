import { implement } from '../implement';
import { actions } from './actions';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const resend = implement(manifest, { verifyCredentials, actions, webhooks });
