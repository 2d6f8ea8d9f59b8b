import { defineContract } from '../../openapi/contract';
import { toolResult } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Tools',
  summary: 'Execute a tool',
  description:
    "Runs a provider action against a connection. Input failing the tool's schema → 422 `validation_failed`; the provider's refusal → 422 `action_failed`; its rate limit → 429; network or 5xx → 502 `provider_unreachable`; a tool not enabled for the workspace → 403. A writing tool with an `Idempotency-Key` runs at most once per key (24 h).",
  success: { status: 200, description: "The provider's answer.", data: toolResult },
  errors: [
    'forbidden',
    'not_found',
    'connection_not_ready',
    'conflict',
    'action_failed',
    'provider_unreachable',
  ],
  headers: {
    'Idempotency-Key': {
      description:
        'Printable ASCII, 1 to 255 characters: a writing tool runs at most once per key for 24 h; a retry answers the first result.',
      pattern: '^[\\x21-\\x7e]{1,255}$',
    },
  },
});
