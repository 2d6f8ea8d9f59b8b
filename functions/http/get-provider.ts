import * as z from 'zod/mini';
import { getProvider } from '../../core/providers/detail';
import { endpoint } from '../middleware';

const path = z.object({ provider: z.string().check(z.minLength(1), z.maxLength(100)) });

/** GET /v1/providers/{provider} — one provider with auth, syncs, actions and webhooks in detail. */
export const handler = endpoint({ path }, async (req) => ({ data: await getProvider(req.path.provider) }));
