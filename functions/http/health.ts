import { endpoint } from '../middleware';

/** GET /health — the process is up. Touches no dependency. */
export const handler = endpoint({}, async () => ({ data: { status: 'ok' } }));
