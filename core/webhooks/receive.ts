import { loadAdapter } from '../../adapters';
import type { WebhookRequest } from '../../adapters/types';
import { WebhookRefused } from '../../adapters/webhook-signatures';
import { integrationSecrets } from '../integrations/secrets';
import { awsJson } from '../platform/aws-call';
import { queueUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import { traceAttributes } from '../platform/trace';
import { getIntegration, type IntegrationItem } from '../store/integrations-repo';
import type { QueuedWebhookEvent } from './message';
import { encodeBody } from './message-body';

/**
 * The provider webhook receiver (the function URL, `/webhooks/{tenant_id}/{integration_key}`):
 * verify the provider's signature over the raw body, queue the event, answer. One durable
 * write on the acknowledgement path — the SQS message; the processor dedupes redeliveries
 * (core/webhooks/process.ts), so a redelivery is accepted here like any event. No provider
 * work here either, so it answers well within a second.
 */
const TENANT_ID = /^ten_[0-9a-z]{26}$/;
const INTEGRATION_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** SQS takes 1 MiB a message; what a provider sends is far smaller. */
const SQS_MAX_BYTES = 1024 * 1024;
export const MAX_WEBHOOK_BYTES = SQS_MAX_BYTES - 4096;
/** How long the integration and its webhook secret are cached per container (targetOf). */
const CACHE_MS = 30_000;

/** Parses `/webhooks/{tenant_id}/{integration_key}`; anything else is not ours. */
export const parseWebhookPath = (
  rawPath: string,
): { tenantId: string; integrationKey: string } | undefined => {
  const m = /^\/webhooks\/([^/]+)\/([^/]+)\/?$/.exec(rawPath);
  if (!m || !TENANT_ID.test(m[1] as string) || !INTEGRATION_KEY.test(m[2] as string)) return undefined;
  return { tenantId: m[1] as string, integrationKey: m[2] as string };
};

const notFound = () =>
  new ApiError('not_found', 'No integration at this webhook URL.', {
    remediation: "Use the integration's webhook_url from GET /v1/integrations/{key}.",
  });
const unverified = (provider: string, why: string) =>
  new ApiError('unauthorized', 'The webhook signature could not be verified.', {
    // The reason class only (missing, stale, mismatch): never the expected value.
    details: { provider, reason: why },
  });

type Target = { integration: IntegrationItem; secret: string | undefined };
type Cached = {
  /** When `value` was looked up. */
  at: number;
  value?: Target;
  /** The lookup under way, if any: one at a time per integration. */
  refresh?: Promise<Target | undefined>;
};
const cache = new Map<string, Cached>();
/** Past CACHE_MS an entry is refreshed, in the background while it is younger than this. */
const STALE_MS = 5 * 60_000;
/**
 * What the cache did for this container's requests: `hits` answered from it (`stale` of
 * them while a refresh ran behind), `joined` waited for a lookup already under way,
 * `lookups` made one.
 */
const stats = { hits: 0, stale: 0, joined: 0, lookups: 0 };
export const receiverCacheStats = (): Readonly<typeof stats> => ({ ...stats });

const lookUp = async (tenantId: string, key: string): Promise<Target | undefined> => {
  const integration = await getIntegration(tenantId, key);
  if (!integration) return undefined;
  const secret = integration.has_webhook_secret
    ? (await integrationSecrets(integration)).webhook_secret
    : undefined;
  return { integration, secret };
};

/** Starts the entry's one lookup; an unknown integration or a failure drops a value-less entry. */
const refresh = (k: string, entry: Cached, tenantId: string, key: string): Promise<Target | undefined> => {
  stats.lookups++;
  const p = lookUp(tenantId, key);
  entry.refresh = p;
  p.then(
    (t) => {
      delete entry.refresh;
      // Unknown (or deleted): not cached, so random URLs can't grow the cache.
      if (!t) cache.delete(k);
      else Object.assign(entry, { at: Date.now(), value: t });
    },
    () => {
      delete entry.refresh;
      if (!entry.value) cache.delete(k);
    },
  );
  return p;
};

/**
 * The integration and its webhook secret, cached per container for CACHE_MS, so the
 * acknowledgement path makes one call, SendMessage. Past that, the cached value keeps
 * answering while one lookup refreshes it behind (up to STALE_MS: a secret rotated or an
 * integration deleted takes effect within CACHE_MS plus one lookup); requests that find no
 * value at all wait for the one lookup under way instead of each making their own two calls.
 */
const targetOf = (tenantId: string, key: string): Promise<Target | undefined> => {
  const k = `${tenantId}/${key}`;
  const now = Date.now();
  let entry = cache.get(k);
  if (entry?.value && now - entry.at < CACHE_MS) {
    stats.hits++;
    return Promise.resolve(entry.value);
  }
  if (entry?.value && now - entry.at < STALE_MS) {
    stats.hits++;
    stats.stale++;
    if (!entry.refresh) void refresh(k, entry, tenantId, key).catch(() => undefined);
    return Promise.resolve(entry.value);
  }
  if (entry?.refresh) {
    stats.joined++;
    return entry.refresh;
  }
  entry ??= { at: 0 };
  cache.set(k, entry);
  return refresh(k, entry, tenantId, key);
};

export type WebhookAnswer = { status: number; contentType: string; body: string };

const json = (status: number, data: unknown): WebhookAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify({ status: 'success', data }),
});

/** A request as the function URL hands it over: the body's bytes, never decoded before verifying. */
export type ReceivedRequest = Omit<WebhookRequest, 'rawBody'> & { rawPath: string; rawBody: Buffer };

export const receiveWebhook = async (req: ReceivedRequest, now = Date.now()): Promise<WebhookAnswer> => {
  const target = parseWebhookPath(req.rawPath);
  if (!target) throw notFound();
  const t = await targetOf(target.tenantId, target.integrationKey);
  if (!t) throw notFound();
  const provider = t.integration.provider;
  const hooks = (await loadAdapter(provider))?.webhooks;
  // Without a way to verify (no scheme for this provider, or no secret set) nothing is accepted.
  if (!hooks) throw unverified(provider, 'this provider has no webhook verification');
  if (!t.secret) throw unverified(provider, 'the integration has no webhook_secret');
  const tooLarge = () => new ApiError('payload_too_large', 'The webhook body is too large.');
  if (req.rawBody.length > MAX_WEBHOOK_BYTES) throw tooLarge();
  let verified: ReturnType<typeof hooks.verify>;
  try {
    verified = hooks.verify(req, t.secret, now);
  } catch (e) {
    if (e instanceof WebhookRefused) throw unverified(provider, e.message);
    // A body the provider's code could not even read is a refusal too, not our failure.
    throw unverified(provider, 'unreadable request');
  }
  if (verified.kind === 'handshake') {
    return { status: verified.status, contentType: verified.contentType, body: verified.body };
  }
  const message: QueuedWebhookEvent = {
    tenant_id: target.tenantId,
    integration_key: target.integrationKey,
    integration_id: t.integration.integration_id,
    provider,
    delivery_id: verified.deliveryId,
    event_type: verified.eventType,
    received_at: new Date(now).toISOString(),
    // A proof carried in the body (Figma's passcode) is not queued: the adapter hands back the body without it.
    ...(verified.body !== undefined ? { body: verified.body } : encodeBody(req.rawBody)),
    ...(verified.hintOnly ? { hint_only: true as const } : {}),
  };
  const body = JSON.stringify(message);
  // A body that is not UTF-8 travels as base64 (4/3 of its size), text may grow by escaping.
  if (Buffer.byteLength(body, 'utf8') > SQS_MAX_BYTES) throw tooLarge();
  // Not queued: the error answers 5xx, and the provider retries.
  await awsJson('sqs', 'SendMessage', {
    QueueUrl: queueUrl('webhook'),
    MessageBody: body,
    ...traceAttributes(),
  });
  return json(200, { received: true });
};
