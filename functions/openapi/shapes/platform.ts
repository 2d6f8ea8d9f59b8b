import * as z from 'zod/mini';
import { described, named } from '../contract';

export const health = named('Health', z.strictObject({ status: z.literal('ok') }));

const check = z.strictObject({ status: z.enum(['ok', 'error']), latency_ms: z.int() });
export const readiness = named(
  'Readiness',
  z.strictObject({
    status: z.literal('ok'),
    checks: z.strictObject({ dynamodb: check, sqs: check, secrets_manager: check }),
  }),
);

export const settings = named(
  'Settings',
  z.strictObject({
    redirect_url_allowlist: described(
      z.array(z.string()),
      "Where connect sessions may send users back: exact matches of a session's `redirect_url`.",
    ),
    default_sync_frequency: z.string(),
  }),
);
