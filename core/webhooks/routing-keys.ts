import type { ConnectionKeys } from '../../adapters/types';
import type { ConnectionItem } from '../store/connections-repo';

/**
 * A connection's webhook routing keys: what its provider's `connectionKeys` makes of the
 * account and metadata it stored at connect time. Kept apart from core/webhooks/routes.ts
 * (which loads adapters) so the connection modules of describe-only handlers stay free of
 * the implementation registry.
 */
export const keysOf = (
  connectionKeys: ConnectionKeys,
  c: Pick<ConnectionItem, 'provider_account' | 'provider_metadata'>,
): string[] => [
  ...new Set<string>(connectionKeys({ account: c.provider_account, metadata: c.provider_metadata ?? {} })),
];
