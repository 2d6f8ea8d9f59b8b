import * as z from 'zod/mini';
import type { ProviderManifest } from '../../adapters/types';
import { ApiError } from '../platform/errors';

/*
 * What POST /v1/connections (create.ts) and PATCH /v1/connections/{id} (update.ts) accept
 * alike: metadata and config as bounded JSON objects, and a config checked against its
 * provider's schema. Apart from connections.ts, which seals credentials and emits events:
 * a module importing that one keeps the data key, the Secrets Manager client and the
 * outbound emitter in its bundle, which PATCH does not need.
 */

export const jsonObject = (maxBytes: number) =>
  z.record(z.string().check(z.minLength(1), z.maxLength(100)), z.unknown()).check(
    z.refine((o) => Object.keys(o).length <= 50, { message: 'At most 50 keys.' }),
    z.refine((o) => JSON.stringify(o).length <= maxBytes, { message: `At most ${maxBytes} bytes as JSON.` }),
  );

/**
 * Validates config with the provider's config schema (its manifest's, or the same object from
 * adapters/configs.ts), refusing keys it doesn't know.
 */
export const validateConfig = (
  m: Pick<ProviderManifest, 'displayName' | 'config'>,
  config: Record<string, unknown>,
): Record<string, unknown> => {
  const r = m.config.safeParse(config);
  const issues = r.success
    ? Object.keys(config)
        .filter((k) => !(k in (r.data as object)))
        .map((k) => ({ path: `body.config.${k}`, message: `${m.displayName} has no config '${k}'.` }))
    : r.error.issues.map((i) => ({
        path: ['body', 'config', ...i.path.map(String)].join('.'),
        message: i.message,
      }));
  if (issues.length)
    throw new ApiError('validation_failed', 'The config does not fit the provider.', { details: { issues } });
  return r.data as Record<string, unknown>;
};
