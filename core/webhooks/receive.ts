import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { loadAdapter } from '../../adapters';
import type { WebhookRequest } from '../../adapters/types';
import { WebhookRefused } from '../../adapters/webhook-signatures';
import { integrationSecrets } from '../integrations/secrets';
import { sqsClient } from '../platform/aws';
import { queueUrl } from '../platform/config';
import { ApiError } from '../platform/errors';
import { getIntegration, type IntegrationItem } from '../store/integrations-repo';
import { claimDelivery, releaseDelivery } from '../store/webhook-claims-repo';

/**
 * The provider webhook receiver (the function URL, `/webhooks/{tenant_id}/{integration_key}`):
 * verify the provider's signature over the raw body, drop a redelivery of an accepted
 * event, queue it, answer. No provider work here — the processor does that — so it
 * answers well within a second.
 */
const TENANT_ID = /^ten_[0-9a-z]{26}$/;
const INTEGRATION_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** SQS takes 1 MiB a message; what a provider sends is far smaller. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024 - 4096;
/** The integration and its webhook secret, cached per container: the hot path makes two calls, not four. */
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

type Target = { integration: IntegrationItem; secret: string | undefined; at: number };
const cache = new Map<string, Target>();

const targetOf = async (tenantId: string, key: string): Promise<Target | undefined> => {
  const k = `${tenantId}/${key}`;
  const hit = cache.get(k);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit;
  const integration = await getIntegration(tenantId, key);
  if (!integration) {
    cache.delete(k);
    return undefined;
  }
  const secret = integration.has_webhook_secret
    ? (await integrationSecrets(integration)).webhook_secret
    : undefined;
  const t: Target = { integration, secret, at: Date.now() };
  cache.set(k, t);
  return t;
};

export type QueuedWebhookEvent = {
  tenant_id: string;
  integration_key: string;
  /** The integration's id: an event for a deleted and re-created key is not the new one's. */
  integration_id: string;
  delivery_id: string;
  event_type: string;
  received_at: string;
  body: string;
};

export type WebhookAnswer = { status: number; contentType: string; body: string };

const json = (status: number, data: unknown): WebhookAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify({ status: 'success', data }),
});

export const receiveWebhook = async (req: WebhookRequest & { rawPath: string }, now = Date.now()) => {
  const target = parseWebhookPath(req.rawPath);
  if (!target) throw notFound();
  const t = await targetOf(target.tenantId, target.integrationKey);
  if (!t) throw notFound();
  const provider = t.integration.provider;
  const hooks = (await loadAdapter(provider))?.webhooks;
  // Without a way to verify (no scheme for this provider, or no secret set) nothing is accepted.
  if (!hooks) throw unverified(provider, 'this provider has no webhook verification');
  if (!t.secret) throw unverified(provider, 'the integration has no webhook_secret');
  if (Buffer.byteLength(req.rawBody, 'utf8') > MAX_WEBHOOK_BYTES) {
    throw new ApiError('payload_too_large', 'The webhook body is too large.');
  }
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
  const integrationId = t.integration.integration_id;
  if (!(await claimDelivery(target.tenantId, integrationId, verified.deliveryId, now))) {
    return json(200, { received: true, duplicate: true });
  }
  const message: QueuedWebhookEvent = {
    tenant_id: target.tenantId,
    integration_key: target.integrationKey,
    integration_id: t.integration.integration_id,
    delivery_id: verified.deliveryId,
    event_type: verified.eventType,
    received_at: new Date(now).toISOString(),
    body: req.rawBody,
  };
  try {
    await sqsClient().send(
      new SendMessageCommand({ QueueUrl: queueUrl('webhook'), MessageBody: JSON.stringify(message) }),
    );
  } catch (e) {
    // Not queued: forget the claim so the provider's retry is accepted, and fail so it retries.
    await releaseDelivery(target.tenantId, integrationId, verified.deliveryId).catch(() => undefined);
    throw e;
  }
  return json(200, { received: true });
};
