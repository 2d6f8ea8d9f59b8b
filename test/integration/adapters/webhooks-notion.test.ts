import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type NotionFake, startNotionFake } from '../../fakes/notion';
import { onlyDeliveryOf, processed, requestOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('notion');

/** What the integration keeps as webhook_secret before Notion sent its token. */
const PLACEHOLDER = 'pending-notion-verification';

let n: NotionFake;
let secret = PLACEHOLDER;
let token = '';
let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;

beforeAll(async () => {
  n = await startNotionFake();
  n.seedPages(3);
  receiver = await startVerifyingReceiver(hooks, () => secret, { path: '/webhooks/notion' });
  token = await n.registerWebhook(receiver.url);
});
afterAll(async () => {
  await n.stop();
  await receiver.stop();
});

const refused = (r: WebhookRequest, key = secret) =>
  expect(() => hooks.verify(r, key, Date.now())).toThrow(WebhookRefused);
const signed = (body: Record<string, unknown>, key = token): WebhookRequest => {
  const raw = JSON.stringify(body);
  return {
    method: 'POST',
    headers: { 'x-notion-signature': `sha256=${createHmac('sha256', key).update(raw).digest('hex')}` },
    query: {},
    rawBody: raw,
  };
};

describe('notion webhooks: the verification handshake', () => {
  it('accepts the unsigned verification request while the secret is a placeholder, as an event naming no workspace', () => {
    const [first] = n.deliveries();
    expect(first?.status).toBe(200);
    expect(JSON.parse(first?.body ?? '')).toEqual({ verification_token: token });
    const got = receiver.got[0];
    expect(got?.verified).toEqual({
      kind: 'event',
      deliveryId: expect.stringMatching(/^verification:[0-9a-f]{32}$/),
      eventType: 'verification',
    });
    // The token is in the body (kept for the operator), never in the delivery id (logged).
    expect(got?.verified && 'deliveryId' in got.verified ? got.verified.deliveryId : '').not.toContain(token);
    // Nothing to route it by: the processor keeps it as unrouted, listed for the operator.
    expect(hooks.route(JSON.parse(first?.body ?? ''), 'verification')).toEqual([]);
    expect(hooks.apply(JSON.parse(first?.body ?? ''), 'verification')).toBeUndefined();
  });

  it('refuses an unsigned request of any other shape, and any unsigned one once the secret is the token', () => {
    const raw = (body: unknown): WebhookRequest => ({
      method: 'POST',
      headers: {},
      query: {},
      rawBody: JSON.stringify(body),
    });
    refused(raw({ verification_token: 'secret_x', type: 'page.created' }));
    refused(raw({ id: 'e1', type: 'page.created', workspace_id: n.workspaceId }));
    refused({ method: 'POST', headers: {}, query: {}, rawBody: 'not json' });
    refused(raw({ verification_token: `secret_${'y'.repeat(43)}` }), token);
  });
});

describe('notion webhooks: signed events', () => {
  beforeAll(() => {
    // The operator pasted the token into Notion, then set it as the webhook_secret.
    n.verifyWebhook(token);
    secret = token;
  });

  it('verifies an event from the fake: its id names the delivery, its type is the event type', async () => {
    const [id] = n.listedPageIds().slice(-1) as [string];
    const d = await onlyDeliveryOf(n, () => n.editPage(id, { text: 'New body' }));
    expect(d.status).toBe(200);
    expect(d.headers['x-notion-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const body = JSON.parse(d.body);
    expect(receiver.got.at(-1)?.verified).toEqual({
      kind: 'event',
      deliveryId: body.id,
      eventType: 'page.content_updated',
    });
    const p = processed(hooks, requestOf(d), token);
    expect(p.keys).toEqual([`workspace:${n.workspaceId}`]);
    // Ids only: the pages sync reads the change.
    expect(p.effect).toEqual({ kind: 'sync', syncs: ['pages'] });
  });

  it('a retry keeps the event id (deduplicated downstream) and is signed anew', async () => {
    const [id] = n.listedPageIds().slice(-1) as [string];
    const d = await onlyDeliveryOf(n, () => n.editPage(id, { title: 'Again' }));
    const index = n.deliveries().indexOf(d);
    const again = await n.redeliver(index);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ id: JSON.parse(d.body).id, attempt_number: 2 });
    expect(again.headers['x-notion-signature']).not.toBe(d.headers['x-notion-signature']);
    expect(processed(hooks, requestOf(again), token).deliveryId).toBe(JSON.parse(d.body).id);
  });

  it('refuses missing, malformed, tampered and wrong-key signatures (valid, missing, tampered → 401)', async () => {
    const [id] = n.listedPageIds().slice(-1) as [string];
    const d = await onlyDeliveryOf(n, () => n.editPage(id, { title: 'Tamper me' }));
    const sig = d.headers['x-notion-signature'] as string;
    const { 'x-notion-signature': _, ...unsigned } = d.headers;
    expect(() => hooks.verify(requestOf(d), token, Date.now())).not.toThrow();
    refused(requestOf(d, { headers: unsigned }));
    refused(requestOf(d, { headers: { ...d.headers, 'x-notion-signature': sig.replace('sha256=', '') } }));
    refused(requestOf(d, { headers: { ...d.headers, 'x-notion-signature': sig.slice(0, -2) } }));
    refused(requestOf(d, { rawBody: d.body.replace('page.properties_updated', 'page.deleted') }));
    refused(requestOf(d), `secret_${'0'.repeat(43)}`);
    // Notion signs no timestamp: an old event with a valid signature verifies (replays stop at
    // the processor's claim on the event id).
    const old = signed({
      id: 'evt-old',
      type: 'page.created',
      workspace_id: n.workspaceId,
      timestamp: '2020-01-01T00:00:00.000Z',
      entity: { id, type: 'page' },
    });
    expect(hooks.verify(old, token, Date.now())).toMatchObject({ deliveryId: 'evt-old' });
  });

  it('page.deleted deletes the page record at once', async () => {
    const [id] = n.listedPageIds().slice(-1) as [string];
    const d = await onlyDeliveryOf(n, () => n.trashPage(id));
    expect(processed(hooks, requestOf(d), token).effect).toEqual({
      kind: 'records',
      sync: 'pages',
      records: [],
      deletedIds: [`notion_page_${id}`],
    });
  });

  it('routes database events to their syncs, and comments to none', () => {
    const effect = (type: string, entity = 'database') =>
      hooks.apply({ type, workspace_id: n.workspaceId, entity: { id: n.databaseId, type: entity } }, type);
    expect(effect('database.deleted')).toEqual({
      kind: 'records',
      sync: 'databases',
      records: [],
      deletedIds: [`notion_database_${n.databaseId}`],
    });
    expect(effect('database.schema_updated')).toEqual({ kind: 'sync', syncs: ['databases'] });
    expect(effect('database.content_updated')).toEqual({ kind: 'sync', syncs: ['pages'] });
    expect(effect('page.created', 'page')).toEqual({ kind: 'sync', syncs: ['pages'] });
    expect(effect('comment.created', 'comment')).toBeUndefined();
  });

  it('connections are keyed by the workspace they stored; like matches like only', () => {
    expect(
      hooks.connectionKeys({
        account: { id: n.workspaceId, name: 'Acme HQ' },
        metadata: { workspace_id: n.workspaceId },
      }),
    ).toEqual([`workspace:${n.workspaceId}`]);
    expect(hooks.route({ workspace_id: '' }, 'page.created')).toEqual([]);
  });
});
