import { expect } from 'vitest';
import {
  type ConnectionKeys,
  loadAdapter,
  type WebhookFunctions,
  type WebhookRequest,
  type WebhookVerified,
} from '../../../adapters';
import { rawText, WebhookRefused } from '../../../adapters/webhook-signatures';
import {
  startWebhookReceiver,
  type WebhookDelivery,
  type WebhookOutboxControls,
} from '../../fakes/webhook-outbox';

/**
 * A provider's webhook functions, through the registry as core reaches them, with its
 * account's connection keys (the other end of routing).
 */
export const webhooksOf = async (
  provider: string,
): Promise<WebhookFunctions & { connectionKeys: ConnectionKeys }> => {
  const adapter = await loadAdapter(provider);
  const hooks = adapter?.webhooks;
  const connectionKeys = adapter?.connectionKeys;
  if (!hooks || !connectionKeys) throw new Error(`${provider} has no webhooks`);
  return { ...hooks, connectionKeys };
};

/** A received delivery as the processor treats it: verified, parsed, routed, applied. */
export const processed = (hooks: WebhookFunctions, r: WebhookRequest, secret: string) => {
  const verified = hooks.verify(r, secret, Date.now());
  if (verified.kind !== 'event') throw new Error('not an event');
  const payload = JSON.parse(rawText(r.rawBody)) as Record<string, unknown>;
  return {
    ...verified,
    payload,
    keys: hooks.route(payload, verified.eventType),
    effect: hooks.apply(payload, verified.eventType),
  };
};

/**
 * Reads a receiver's deliveries as they come: each call waits until the fake's deliveries
 * were answered and returns those `received` since the last call, processed.
 */
export const eventsAsTheyCome = (hooks: WebhookFunctions, secret: string) => {
  let seen = 0;
  return async (
    fake: Pick<WebhookOutboxControls, 'webhooksSettled'>,
    received: readonly WebhookRequest[],
  ) => {
    await fake.webhooksSettled();
    const fresh = received.slice(seen);
    seen = received.length;
    return fresh.map((r) => processed(hooks, r, secret));
  };
};

export type Verification = { req: WebhookRequest; verified?: WebhookVerified; refused?: string };

/**
 * A webhook endpoint at `path` that does what the service's receiver does first: verifies the
 * raw request with the secret (`secret()` when a function: read on each request), and answers
 * a handshake as `verify` says, an event `accepted` (default 200), a refusal 401. `got` keeps
 * each request with what `verify` made of it.
 */
export const startVerifyingReceiver = async (
  hooks: WebhookFunctions,
  secret: string | (() => string),
  o: { path?: string; accepted?: number } = {},
) => {
  const got: Verification[] = [];
  const receiver = await startWebhookReceiver((req) => {
    try {
      const verified = hooks.verify(req, typeof secret === 'string' ? secret : secret(), Date.now());
      got.push({ req, verified });
      return verified.kind === 'handshake'
        ? { status: verified.status, headers: { 'content-type': verified.contentType }, body: verified.body }
        : (o.accepted ?? 200);
    } catch (e) {
      got.push({ req, refused: (e as Error).message });
      return e instanceof WebhookRefused ? 401 : 500;
    }
  }, o.path);
  return { ...receiver, got };
};

/** Makes a change at the fake and returns the deliveries it caused, answered. */
export const deliveriesOf = async (
  fake: WebhookOutboxControls,
  change: () => unknown,
): Promise<WebhookDelivery[]> => {
  const before = fake.deliveries().length;
  await change();
  await fake.webhooksSettled();
  return fake.deliveries().slice(before);
};

/** The one delivery a change at the fake caused, answered. */
export const onlyDeliveryOf = async (fake: WebhookOutboxControls, change: () => unknown) => {
  const sent = await deliveriesOf(fake, change);
  expect(sent).toHaveLength(1);
  return sent[0] as WebhookDelivery;
};

/** A delivery as the service's receiver hands it to `verify`, with `change` made. */
export const requestOf = (d: WebhookDelivery, change: Partial<WebhookRequest> = {}): WebhookRequest => ({
  method: 'POST',
  headers: d.headers,
  query: {},
  rawBody: d.body,
  ...change,
});
