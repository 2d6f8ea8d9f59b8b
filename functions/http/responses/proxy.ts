import * as z from 'zod/mini';
import { defineContract, described } from '../../openapi/contract';

export const contract = defineContract({
  tag: 'Proxy',
  summary: "Call the provider's API",
  description:
    "The connection's provider API (its base URL, or the integration's `endpoints.api_base_url`) at `path`, with the query and body passed through and the stored credentials (refreshed when expired, and once on a 401); the caller's own credentials, cookies and forwarding headers are not sent. Answers the provider's status and body as they are, not in the envelope; this API's own refusals are in the envelope. End-user tokens: their own connections only, and not when bound to workspaces (they act through the tools granted there). A write (any method but GET) is recorded in the audit trail (GET /v1/tool-calls); with an `Idempotency-Key` it reaches the provider once, a retry answering the first answer with `Idempotent-Replayed: true`. HEAD has no proxy route (404); OPTIONS is the CORS preflight.",
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  requestBody: {
    description: 'Sent to the provider as is, with its Content-Type.',
    contentType: '*/*',
    schema: described(z.unknown(), 'Any body the provider takes.'),
  },
  success: [],
  passThrough:
    "The provider's answer, whatever its status (2xx, 3xx, its own 4xx and 5xx, a 429 with its `Retry-After`): its body (≤ 6 MB) and an allow-list of its headers (`content-type`, `link`, its rate-limit headers, `retry-after`), with `X-Request-Id`.",
  errors: ['connection_not_ready', 'conflict', 'provider_unreachable'],
  errorsAt: [
    {
      code: 'validation_failed',
      status: 400,
      when: 'A path that would leave the API base (dot segments, encoded dots, slashes or backslashes, an empty segment, a second host, an absolute URL, a NUL, a malformed escape), or credentials the proxy cannot send to this provider; nothing reaches the provider.',
    },
  ],
  parameters: {
    connection_id: '`conn_…`',
    path: "The provider API's path, one segment or several (`repos/acme/app/issues`): this parameter spans `/`, unlike OpenAPI's usual single segment. Sent to the provider percent-encoded as the client wrote it.",
  },
  headers: {
    'Idempotency-Key': {
      description:
        'Printable ASCII, 1 to 255 characters: a write reaches the provider at most once per key for 24 h; a retry answers the first answer (`Idempotent-Replayed: true`); the same key with another request is 409 `conflict`.',
      pattern: '^[\\x21-\\x7e]{1,255}$',
    },
  },
});
