import * as z from 'zod/mini';
import { DELIVERED_EVENTS, OUTBOUND_EVENTS } from '../../../core/outbound/events';
import { described, named, page, timestamp } from '../contract';
import { connection } from './connections';
import { importView } from './imports';
import { syncRunEventData } from './syncs';

const subscriptionFields = {
  id: described(z.string(), '`whs_…`'),
  url: z.string(),
  events: z.array(z.enum(OUTBOUND_EVENTS)),
  enabled: described(z.boolean(), 'A disabled subscription is sent nothing.'),
  previous_secret_expires_at: described(
    z.nullable(timestamp()),
    'After rotate-secret: until when the old secret keeps signing beside the new one.',
  ),
  created_at: timestamp(),
  updated_at: timestamp(),
};

export const subscription = named(
  'WebhookSubscription',
  z.strictObject(subscriptionFields),
  'A URL of yours and the events it is sent. Never its secret, but at creation and rotation.',
);

export const subscriptionWithSecret = named(
  'WebhookSubscriptionWithSecret',
  z.strictObject({
    ...subscriptionFields,
    secret: described(z.string(), '`whsec_…`: shown this once. Verify every delivery with it.'),
  }),
);

export const subscriptionList = named('WebhookSubscriptionList', page('webhook_subscriptions', subscription));

export const subscriptionDeleted = named(
  'WebhookSubscriptionDeleted',
  z.strictObject({ id: z.string(), deleted: z.literal(true) }),
);

export const delivery = named(
  'WebhookDelivery',
  z.strictObject({
    delivery_id: described(z.string(), 'The event id: one event is one delivery, in one or more attempts.'),
    event_id: z.string(),
    event: z.enum(DELIVERED_EVENTS),
    attempt: z.int(),
    status: described(
      z.enum(['delivered', 'retrying', 'dead', 'failed']),
      '`dead`: 24 h of failures; `failed`: refused without retry (the URL resolves to a private address).',
    ),
    response_status: described(z.nullable(z.int()), 'Null when nothing answered.'),
    duration_ms: z.int(),
    error: z.nullable(z.string()),
    attempted_at: timestamp(),
    next_attempt_at: z.nullable(timestamp()),
  }),
  'One delivery attempt.',
);

export const deliveryList = named('WebhookDeliveryList', page('deliveries', delivery));

export const testQueued = named(
  'WebhookTestQueued',
  z.strictObject({
    event_id: z.string(),
    delivery_id: z.string(),
    type: z.literal('ping'),
    status: z.literal('queued'),
  }),
);

export const retryQueued = named(
  'WebhookRetryQueued',
  z.strictObject({ delivery_id: z.string(), event_id: z.string(), status: z.literal('queued') }),
);

export const providerEvent = named(
  'ProviderWebhookEvent',
  z.strictObject({
    id: z.string(),
    integration_key: z.string(),
    delivery_id: z.string(),
    event_type: z.string(),
    status: described(
      z.enum(['unrouted', 'failed']),
      '`unrouted`: no connection matched; `failed`: applying it failed for good.',
    ),
    reason: z.string(),
    received_at: timestamp(),
    body: described(z.optional(z.string()), 'The body as received, when it fits (≤ 300 KB).'),
    body_encoding: described(z.optional(z.literal('base64')), 'Set when `body` is base64 (not UTF-8 text).'),
    body_bytes: z.int(),
  }),
  'A provider webhook event that could not be used, kept 7 days.',
);

export const providerEventList = named('ProviderWebhookEventList', page('webhook_events', providerEvent));

/** The body of every delivery: `{id, type, created_at, data}`; `data` by type below. */
const envelope = <T extends string, D extends z.ZodMiniType>(type: T, data: D) =>
  z.strictObject({
    id: described(z.string(), '`evt_…`, the same on every retry: dedupe by it.'),
    type: z.literal(type),
    created_at: timestamp(),
    data,
  });

const recordCounts = z.strictObject({ added: z.int(), updated: z.int(), deleted: z.int() });

const connectionIdentity = {
  connection_id: z.string(),
  integration: z.string(),
  provider: z.string(),
  end_user_id: z.string(),
};
const connectionStatus = z.enum(['pending_auth', 'active', 'expired', 'error', 'disconnected']);
const statusChange = z.strictObject({
  ...connectionIdentity,
  old_status: connectionStatus,
  new_status: connectionStatus,
  reason: z.optional(
    described(z.string(), 'What the provider said, when it said something (≤ 500 characters).'),
  ),
});

/** The `data` of each event type (core/outbound/emit.ts and its callers). */
export const eventPayloads = {
  'sync.completed': named(
    'SyncCompletedEvent',
    envelope('sync.completed', syncRunEventData),
    'A sync run finished: the run as GET /v1/sync-runs/{id} shows it, `run_id` for `id`.',
  ),
  'sync.failed': named(
    'SyncFailedEvent',
    envelope('sync.failed', syncRunEventData),
    'A sync run ended in error: `status: "error"` and `error`.',
  ),
  'records.changed': named(
    'RecordsChangedEvent',
    envelope(
      'records.changed',
      z.strictObject({
        connection_id: z.string(),
        sync: z.string(),
        model: z.string(),
        run_id: described(z.nullable(z.string()), 'Null when a provider webhook made the change.'),
        source: z.enum(['sync', 'webhook', 'import']),
        records: recordCounts,
        feed: described(z.string(), 'Where to read the changes: `GET /v1/records?connection_id=…&model=…`.'),
      }),
    ),
    'A run or a provider webhook added, updated or deleted records; sent once the feed shows them.',
  ),
  'connection.created': named(
    'ConnectionCreatedEvent',
    envelope('connection.created', z.strictObject({ connection_id: z.string(), connection })),
    'A new connection (POST /v1/connections or the OAuth / app-install callback).',
  ),
  'connection.expired': named(
    'ConnectionExpiredEvent',
    envelope(
      'connection.expired',
      z.strictObject({
        connection_id: z.string(),
        integration: z.string(),
        provider: z.string(),
        end_user_id: z.string(),
        provider_message: z.string(),
      }),
    ),
    'The provider refused to refresh the credentials: the end user must connect again.',
  ),
  'connection.status_changed': named(
    'ConnectionStatusChangedEvent',
    envelope('connection.status_changed', statusChange),
    'A connection changed status, written by the flow that learned it (API.md "Connections").',
  ),
  'connection.recovered': named(
    'ConnectionRecoveredEvent',
    envelope('connection.recovered', statusChange),
    'A renewed grant brought a connection back to `active` (sent beside `connection.status_changed`).',
  ),
  'connection.sync_status_changed': named(
    'ConnectionSyncStatusChangedEvent',
    envelope(
      'connection.sync_status_changed',
      z.strictObject({
        ...connectionIdentity,
        old_sync_status: z.enum(['healthy', 'degraded', 'failed']),
        new_sync_status: z.enum(['healthy', 'degraded', 'failed']),
      }),
    ),
    "A connection's `sync_status` changed.",
  ),
  'connection.deleted': named(
    'ConnectionDeletedEvent',
    envelope(
      'connection.deleted',
      z.strictObject({
        ...connectionIdentity,
        revoked: described(z.boolean(), 'Whether the grant was revoked at the provider first.'),
        revoke_error: z.optional(described(z.string(), 'Why not, when it was not.')),
      }),
    ),
    'A connection was deleted (DELETE /v1/connections/{id}).',
  ),
  'import.completed': named(
    'ImportCompletedEvent',
    envelope('import.completed', importView),
    'A CSV import ended `success` or `partial`: the import as GET /v1/imports/{id} shows it.',
  ),
  'import.failed': named(
    'ImportFailedEvent',
    envelope('import.failed', importView),
    'A CSV import ended `error`, with `error` saying why.',
  ),
  'provider.event': named(
    'ProviderEvent',
    envelope(
      'provider.event',
      z.strictObject({
        connection_id: z.string(),
        integration: z.string(),
        provider: z.string(),
        event_type: z.string(),
        delivery_id: z.string(),
        received_at: timestamp(),
        payload_verified: described(
          z.boolean(),
          'False when only the sender was authenticated (Jira app webhooks): treat the payload as a hint.',
        ),
        payload: described(z.unknown(), 'The event as the provider described it.'),
      }),
    ),
    'A provider webhook was received for one of your connections.',
  ),
  ping: named(
    'PingEvent',
    envelope('ping', z.strictObject({ subscription_id: z.string(), message: z.string() })),
    'POST /v1/webhook-subscriptions/{id}/test.',
  ),
} satisfies Record<(typeof DELIVERED_EVENTS)[number], z.ZodMiniType>;

export const deliveredEvent = z.union(
  Object.values(eventPayloads) as unknown as [z.ZodMiniType, ...z.ZodMiniType[]],
);
