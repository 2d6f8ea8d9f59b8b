import * as z from 'zod/mini';
import { deleteConnection } from '../../core/connections/delete';
import { endpoint, endUserOf, tenantOf } from '../middleware';
import { idPath } from './key-path';

const query = z.strictObject({ purge_records: z.optional(z.enum(['true', 'false'])) });

/** DELETE /v1/connections/{id}?purge_records=true — credentials go; records stay unless purged. */
export const handler = endpoint({ path: idPath, query }, async (req) => ({
  data: await deleteConnection(
    tenantOf(req),
    req.path.id,
    req.query.purge_records === 'true',
    endUserOf(req, undefined, { required: false }),
  ),
}));
