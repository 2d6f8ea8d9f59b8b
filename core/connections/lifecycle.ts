import { isProviderError } from '../../adapters/errors';
import { logger } from '../platform/log';
import type { ConnectionItem } from '../store/connections-repo';
import { transition } from './status';

/**
 * The provider refused the credentials as unauthenticated (401), and they cannot be renewed
 * — or were just renewed and are refused still (callers renew a refreshable connection once
 * before giving up): the connection goes from `active` to `error`. 403 is left alone: the
 * providers here use it for "not allowed on this resource" and for rate limits, which say
 * nothing about the credentials.
 */
export const refusesCredentials = (e: unknown): boolean =>
  isProviderError(e) && e.kind === 'rejected' && e.status === 401;

export const markRefused = async (c: ConnectionItem, providerMessage: string): Promise<void> => {
  if (c.status !== 'active') return;
  try {
    await transition(c, {
      from: 'active',
      to: 'error',
      reason: `The provider refused the credentials: ${providerMessage}`,
    });
  } catch (e) {
    // The caller's answer (the provider's refusal) matters more than this bookkeeping.
    logger.warn('connection status not saved', { provider: c.provider, error: (e as Error).name });
  }
};
