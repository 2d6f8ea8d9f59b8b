import * as z from 'zod/mini';
import { type ErrorCode, errorStatus } from '../../core/platform/errors';
import type { Schemas } from '../middleware/validate';
import type { Route } from '../routes';
import { described, named } from './contract';

/** What each code means, as API.md's error table says it. */
export const errorMeaning: Record<ErrorCode, string> = {
  invalid_json: 'The body is not JSON.',
  validation_failed: 'Body, query or path fails the schema; `details.issues[]` = `{path, message}`.',
  unsupported_api_version: 'Unknown `X-Api-Version`; `details.supported` lists the versions served.',
  invalid_cursor: 'A forged, foreign or stale cursor.',
  unauthorized: 'Missing, malformed, unknown, revoked or expired credential.',
  forbidden: 'The credential is valid but not allowed this.',
  not_found: 'The route or resource does not exist (or belongs to another tenant).',
  unknown_provider: 'No such provider.',
  integration_not_configured: 'The tenant has no integration with that key.',
  connection_not_ready:
    'The connection is `pending_auth`, `expired` or `error`; `details.status` says which.',
  conflict: 'A duplicate unique key, or a concurrent update lost.',
  payload_too_large: 'The body is over the limit.',
  rate_limited: 'Over a rate limit; `Retry-After` says when to retry.',
  action_failed: 'The provider refused the action; nothing was changed there.',
  provider_unreachable: 'A network error or a 5xx from the provider.',
  service_unavailable: 'A dependency (DynamoDB, SQS, Secrets Manager) is not answering.',
  internal_error: 'Anything else; the message never leaks internals. Quote the request id.',
  state_expired: 'The connect session has expired.',
  invalid_state: 'The connect session has already connected an account.',
};

const codes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const errorEnvelope = named(
  'Error',
  z.strictObject({
    status: z.literal('error'),
    error: z.strictObject({
      code: described(z.enum(codes), 'Stable and machine-readable: branch on it, not on the message.'),
      message: described(z.string(), 'For a human; may change.'),
      details: described(z.record(z.string(), z.unknown()), 'Facts about the failure, by code.'),
      remediation: z.optional(described(z.string(), 'What to do about it.')),
      request_id: described(z.string(), 'The `X-Request-Id` of this answer (`req_…`).'),
    }),
  }),
  'The error envelope: every answer that is not a success.',
);

/**
 * Every error code a route can answer: those its kind brings (the middleware chain of
 * functions/middleware, the auth kind of its row, the schemas it validates, the path
 * parameters it looks up) and those its contract names (what its core service throws).
 */
export const errorCodesOf = (
  route: Pick<Route, 'path' | 'auth'>,
  schemas: Schemas,
  contract: {
    errors?: readonly ErrorCode[];
    except?: readonly ErrorCode[];
    errorsAt?: readonly { code: ErrorCode }[];
  } = {},
): ErrorCode[] => {
  const out = new Set<ErrorCode>(['unsupported_api_version', 'internal_error']);
  if (route.auth !== 'none') {
    out.add('unauthorized');
    out.add('rate_limited');
  }
  // A secret key sent from a browser (an Origin header), and an end-user token on a
  // secret-key route (functions/middleware/auth.ts).
  if (route.auth !== 'none') out.add('forbidden');
  if (schemas.body) {
    out.add('invalid_json');
    out.add('payload_too_large');
  }
  if (schemas.body || schemas.query || schemas.path) out.add('validation_failed');
  if (queryHas(schemas.query, 'cursor')) out.add('invalid_cursor');
  if (route.path.includes('{')) out.add('not_found');
  for (const c of contract.errors ?? []) out.add(c);
  for (const e of contract.errorsAt ?? []) out.add(e.code);
  for (const c of contract.except ?? []) out.delete(c);
  return [...out].sort((a, b) => errorStatus[a] - errorStatus[b] || a.localeCompare(b));
};

const queryHas = (query: z.ZodMiniType | undefined, key: string): boolean => {
  const shape = (query as { def?: { shape?: Record<string, unknown> } } | undefined)?.def?.shape;
  return shape !== undefined && key in shape;
};
