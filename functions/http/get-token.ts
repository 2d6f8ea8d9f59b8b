import * as z from 'zod/mini';
import { tokenForBackend } from '../../core/connections/tokens';
import { endpoint, tenantOf } from '../middleware';
import { idPath } from './key-path';

const query = z.strictObject({ force_refresh: z._default(z.enum(['true', 'false']), 'false') });

/**
 * GET /v1/connections/{id}/token?force_refresh= — a usable token, refreshed when it
 * expires within 5 minutes or when forced; concurrent callers share one refresh.
 */
export const handler = endpoint({ path: idPath, query }, async (req) => {
  const token = await tokenForBackend(
    tenantOf(req),
    req.path.id,
    req.query.force_refresh === 'true',
    req.event.requestContext.timeEpoch,
  );
  return { data: token };
});
