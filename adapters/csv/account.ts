import { ProviderError } from '../errors';
import { defineAccount } from '../implement';
import { manifest } from './manifest';

/**
 * No code runs against a `csv` "provider": core/imports writes its connections' records. A
 * connection of it is never created from credentials, so verifying refuses.
 */
export const account = defineAccount(manifest, {
  verifyCredentials: async () => {
    throw new ProviderError('rejected', 'CSV import connections are created by imports (POST /v1/imports).');
  },
});
