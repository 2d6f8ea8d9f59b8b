import type { Adapter } from '../types';
import { actions } from './actions';
import { manifest } from './manifest';
import { verifyCredentials } from './verify';
import { webhooks } from './webhooks';

export const resend: Adapter = { manifest, verifyCredentials, actions, webhooks };
