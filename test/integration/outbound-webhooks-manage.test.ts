import { SQSClient } from '@aws-sdk/client-sqs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStripeStyle } from '../../adapters/webhook-signatures';
import { attemptDelivery } from '../../core/outbound/deliver';
import type { OutboundMessage } from '../../core/outbound/events';
import { newId } from '../../core/platform/ids';
import { pollQueue } from '../../local/sqs-poller';
import { sensitive } from '../leak-watch';
import {
  call,
  expectError,
  type Harness,
  holdToContract,
  type Json,
  newTenant,
  startHarness,
} from './harness';
import { type Received, runEventData, startSubscriber } from './webhook-subscriber';

/**
 * Outbound webhooks a customer verifies with a library and manages without a ticket
 * (issue 16 §6): Standard Webhooks headers checked with the `standardwebhooks` package as a
 * subscriber would, PATCH (url, events, enabled), secret rotation with a 24 h overlap, a
 * `ping` test event, and the replay of a dead delivery.
 */
let h: Harness;
let subscriber: Awaited<ReturnType<typeof startSubscriber>>;
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
let poller: { stop: () => Promise<void> };

const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
  call(h.gateway.url, path, {
    key: init.key ?? h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

/** The answers that carry a secret are read here, not through `call` (the leak check). */
const withSecret = async (path: string, body?: unknown) => {
  const res = await fetch(`${h.gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.key}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as Json;
  await holdToContract('POST', `${h.gateway.url}${path}`, {
    status: res.status,
    headers: res.headers,
    body: json,
  });
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return { ...(json.data as Json), secret: sensitive(json.data.secret as string) as string };
};

const until = async <T>(what: string, find: () => T | undefined, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** What `standardwebhooks` makes of a received request: the payload, or its error. */
const libraryVerify = (secret: string, r: Received) => {
  try {
    return new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
  } catch (e) {
    return (e as Error).message;
  }
};

const ping = async (id: string, path: string) => {
  const sent = await api(`/v1/webhook-subscriptions/${id}/test`, { method: 'POST' });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  expect(sent.body.data).toMatchObject({ type: 'ping', status: 'queued' });
  const eventId = sent.body.data.event_id as string;
  return until(`ping ${eventId}`, () => subscriber.events(path).find((e) => e.event.id === eventId));
};

beforeAll(async () => {
  h = await startHarness();
  subscriber = await startSubscriber();
  poller = pollQueue({
    sqs,
    queueUrl: process.env.OUTBOUND_QUEUE_URL as string,
    handler: 'functions/workers/outbound-worker.ts',
    batchSize: 10,
    timeoutMs: 30_000,
  });
});
afterAll(async () => {
  await poller.stop();
  sqs.destroy();
  await h.stop();
  await subscriber.stop();
});

describe('Standard Webhooks', () => {
  it('a ping verifies with the standardwebhooks package and with X-Signature', async () => {
    const sub = await withSecret('/v1/webhook-subscriptions', {
      url: `${subscriber.url}/std`,
      events: ['sync.completed'],
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const got = await ping(sub.id, '/std');
    expect(got.headers['webhook-id']).toBe(got.event.id);
    expect(got.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(got.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(libraryVerify(sub.secret, got)).toEqual(got.event);
    expect(() =>
      verifyStripeStyle(got.headers['x-signature'] as string, sub.secret, got.body, Date.now()),
    ).not.toThrow();
    // Tampered, or another secret: the library refuses.
    expect(libraryVerify(sub.secret, { ...got, body: got.body.replace('ping', 'pong') })).toMatch(
      /signature/i,
    );
    expect(libraryVerify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, got)).toMatch(/signature/i);
    expect(got.event).toMatchObject({ type: 'ping', data: { subscription_id: sub.id } });
  });
});

describe('PATCH', () => {
  it('changes url and events, disables and enables; validates like create', async () => {
    const sub = await withSecret('/v1/webhook-subscriptions', {
      url: `${subscriber.url}/patch-a`,
      events: ['sync.completed'],
    });
    const moved = await api(`/v1/webhook-subscriptions/${sub.id}`, {
      method: 'PATCH',
      body: { url: `${subscriber.url}/patch-b`, events: ['sync.failed', 'sync.failed', 'records.changed'] },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.data).toMatchObject({
      url: `${subscriber.url}/patch-b`,
      events: ['sync.failed', 'records.changed'],
      enabled: true,
    });
    expect(moved.body.data.secret).toBeUndefined();
    await ping(sub.id, '/patch-b');

    const off = await api(`/v1/webhook-subscriptions/${sub.id}`, {
      method: 'PATCH',
      body: { enabled: false },
    });
    expect(off.body.data.enabled).toBe(false);
    expect((await api(`/v1/webhook-subscriptions/${sub.id}`)).body.data.enabled).toBe(false);
    expectError(await api(`/v1/webhook-subscriptions/${sub.id}/test`, { method: 'POST' }), 409, 'conflict');
    // A delivery already under way for a disabled subscription is dropped, nobody called.
    const before = subscriber.received.length;
    const dropped = await attemptDelivery({
      tenant_id: h.tenantId,
      subscription_id: sub.id,
      event: {
        id: newId('evt'),
        type: 'sync.failed',
        created_at: new Date().toISOString(),
        data: runEventData('error'),
      },
      attempt: 1,
    });
    expect(dropped).toEqual({ kind: 'dropped', reason: 'subscription disabled' });
    expect(subscriber.received.length).toBe(before);

    const on = await api(`/v1/webhook-subscriptions/${sub.id}`, { method: 'PATCH', body: { enabled: true } });
    expect(on.body.data.enabled).toBe(true);
    await ping(sub.id, '/patch-b');

    for (const body of [{}, { url: 'https://10.0.0.1/hooks' }, { events: ['nope'] }, { secret: 'x' }]) {
      expectError(
        await api(`/v1/webhook-subscriptions/${sub.id}`, { method: 'PATCH', body }),
        422,
        'validation_failed',
      );
    }
    expectError(
      await api('/v1/webhook-subscriptions/whs_unknown', { method: 'PATCH', body: { enabled: false } }),
      404,
      'not_found',
    );
    const other = await newTenant('other');
    for (const [method, path, body] of [
      ['PATCH', '', { enabled: false }],
      ['POST', '/rotate-secret', undefined],
      ['POST', '/test', undefined],
      ['POST', '/deliveries/evt_x/retry', undefined],
    ] as const) {
      expectError(
        await api(`/v1/webhook-subscriptions/${sub.id}${path}`, {
          method,
          key: other.key,
          ...(body ? { body } : {}),
        }),
        404,
        'not_found',
      );
    }
  });
});

describe('secret rotation', () => {
  it('the old secret keeps verifying for 24 h beside the new one, then only the new one signs', async () => {
    const sub = await withSecret('/v1/webhook-subscriptions', {
      url: `${subscriber.url}/rotate`,
      events: ['sync.completed'],
    });
    const rotated = await withSecret(`/v1/webhook-subscriptions/${sub.id}/rotate-secret`);
    expect(rotated.secret).not.toBe(sub.secret);
    expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    // Neither GET nor the list shows either secret.
    const got = await api(`/v1/webhook-subscriptions/${sub.id}`);
    expect(JSON.stringify(got.body)).not.toContain('whsec_');
    expect(got.body.data.previous_secret_expires_at).toBe(rotated.previous_secret_expires_at);

    const during = await ping(sub.id, '/rotate');
    expect((during.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(libraryVerify(rotated.secret, during)).toEqual(during.event);
    expect(libraryVerify(sub.secret, during)).toEqual(during.event);
    for (const s of [rotated.secret, sub.secret]) {
      expect(() =>
        verifyStripeStyle(during.headers['x-signature'] as string, s, during.body, Date.now()),
      ).not.toThrow();
    }

    // 25 h later (the attempt made at that time): the old secret no longer signs.
    const later = Date.now() + 25 * 3600_000;
    const msg: OutboundMessage = {
      tenant_id: h.tenantId,
      subscription_id: sub.id,
      event: {
        id: newId('evt'),
        type: 'sync.completed',
        created_at: new Date(later).toISOString(),
        data: runEventData('success'),
      },
      attempt: 1,
    };
    const outcome = await attemptDelivery(msg, later);
    expect(outcome.kind).toBe('delivered');
    const after = subscriber.events('/rotate').find((e) => e.event.id === msg.event.id) as Received;
    expect((after.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect(() =>
      verifyStripeStyle(after.headers['x-signature'] as string, rotated.secret, after.body, later),
    ).not.toThrow();
    expect(() =>
      verifyStripeStyle(after.headers['x-signature'] as string, sub.secret, after.body, later),
    ).toThrow();
  });
});

describe('replaying a dead delivery', () => {
  it('a delivery dead after 24 h is replayed once on request, with the same event id', async () => {
    const sub = await withSecret('/v1/webhook-subscriptions', {
      url: `${subscriber.url}/replay`,
      events: ['sync.failed'],
    });
    // Only 5xx until it dies: each attempt driven at its due time.
    subscriber.script('/replay', Array(20).fill(500));
    const start = Date.now() - 24 * 3600_000 - 60_000;
    let next: OutboundMessage | undefined = {
      tenant_id: h.tenantId,
      subscription_id: sub.id,
      event: {
        id: newId('evt'),
        type: 'sync.failed',
        created_at: new Date(start).toISOString(),
        data: runEventData('error'),
      },
      attempt: 1,
    };
    const eventId = next.event.id;
    let now = start;
    let last: Awaited<ReturnType<typeof attemptDelivery>> | undefined;
    while (next) {
      last = await attemptDelivery(next, now);
      next = last.kind === 'retrying' ? last.next : undefined;
      if (last.kind === 'retrying') now = Date.parse(last.next.due_at as string);
    }
    expect(last?.kind).toBe('dead');
    const listed = await api(`/v1/webhook-subscriptions/${sub.id}/deliveries?limit=1`);
    expect(listed.body.data.deliveries[0]).toMatchObject({ delivery_id: eventId, status: 'dead' });

    // The subscriber is fixed; the replay arrives, signed, with the same event id.
    subscriber.script('/replay', []);
    const retried = await api(`/v1/webhook-subscriptions/${sub.id}/deliveries/${eventId}/retry`, {
      method: 'POST',
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(202);
    expect(retried.body.data).toEqual({ delivery_id: eventId, event_id: eventId, status: 'queued' });
    const got = await until('the replay', () =>
      subscriber.events('/replay').find((e) => e.event.id === eventId && e.answered === 200),
    );
    expect(got.event.data).toEqual(runEventData('error'));
    expect(libraryVerify(sub.secret, got)).toEqual(got.event);
    // Replayed once: a second request finds nothing dead under that id.
    expectError(
      await api(`/v1/webhook-subscriptions/${sub.id}/deliveries/${eventId}/retry`, { method: 'POST' }),
      404,
      'not_found',
    );
    // A delivery that never died cannot be replayed.
    expectError(
      await api(`/v1/webhook-subscriptions/${sub.id}/deliveries/evt_never/retry`, { method: 'POST' }),
      404,
      'not_found',
    );
  });
});
