import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { modelSchemas } from '../../../adapters/models';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type FigmaFake, startFigmaFake } from '../../fakes/figma';
import type { WebhookDelivery } from '../../fakes/webhook-outbox';
import { sensitive } from '../../leak-watch';
import { runSync } from './sync-helpers';
import { verify as verifyCredentials } from './verify-helpers';
import { onlyDeliveryOf, requestOf, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('figma');
const secret = sensitive(`figma-passcode-${randomBytes(16).toString('hex')}`);

let figma: FigmaFake;
let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
let design: string;
let other: string;
let file: string;
let metadata: Record<string, string>;

beforeAll(async () => {
  figma = await startFigmaFake();
  design = figma.addTeam('Design');
  other = figma.addTeam('Other');
  file = figma.addFile(figma.addProject(design, 'Website'), 'Home page');
  receiver = await startVerifyingReceiver(hooks, secret, { path: '/webhooks/figma' });
  // As the README says: the team's webhook gets `<team_id>:<webhook_secret>` as its passcode.
  figma.registerWebhook({ url: receiver.url, teamId: design, passcode: `${design}:${secret}` });
  await figma.webhooksSettled();
  metadata =
    (
      await verifyCredentials('figma', {
        credentials: figma.valid,
        baseUrl: figma.apiBaseUrl,
        config: { team_ids: [design, other] },
      })
    ).metadata ?? {};
});
afterAll(async () => {
  await figma.stop();
  await receiver.stop();
});

const payloadOf = (d: WebhookDelivery) => JSON.parse(d.body) as Record<string, unknown>;
const refused = (r: WebhookRequest, now = Date.now(), key = secret) =>
  expect(() => hooks.verify(r, key, now)).toThrow(WebhookRefused);
const bodyWith = (d: WebhookDelivery, change: Record<string, unknown>) =>
  requestOf(d, { rawBody: JSON.stringify({ ...payloadOf(d), ...change }) });

/** What the processor does with a verified delivery: parse the queued body, route, apply. */
const processed = (d: WebhookDelivery, config: Record<string, unknown> = {}) => {
  const v = hooks.verify(requestOf(d), secret, Date.now());
  if (v.kind !== 'event' || v.body === undefined) throw new Error('no event body');
  const queued = JSON.parse(v.body) as Record<string, unknown>;
  return {
    verified: v,
    queued,
    keys: hooks.route(queued, v.eventType),
    effect: hooks.apply(queued, v.eventType, { config, metadata }),
  };
};

describe('figma webhooks: verify', () => {
  it('accepts the PING Figma sends on creation, and events whose passcode matches', async () => {
    const ping = figma.deliveries()[0] as WebhookDelivery;
    expect(payloadOf(ping)).toMatchObject({ event_type: 'PING', passcode: `${design}:${secret}` });
    expect(ping.status).toBe(200);
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Looks good'));
    expect(d.status).toBe(200);
    expect(receiver.got.at(-1)?.verified).toMatchObject({ kind: 'event', eventType: 'FILE_COMMENT' });
  });

  it('refuses a missing, empty, wrong or truncated passcode, and a body that is no event (→ 401)', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Another'));
    const { passcode: _, ...without } = payloadOf(d);
    refused(requestOf(d, { rawBody: JSON.stringify(without) }));
    refused(bodyWith(d, { passcode: '' }));
    refused(bodyWith(d, { passcode: `${design}:${secret.slice(0, -1)}` }));
    refused(bodyWith(d, { passcode: `${design}:${secret}x` }));
    refused(bodyWith(d, { passcode: `${design}:` }));
    refused(bodyWith(d, { passcode: design }));
    refused(bodyWith(d, { passcode: 42 }));
    refused(requestOf(d), Date.now(), `figma-passcode-${randomBytes(16).toString('hex')}`);
    refused(requestOf(d, { rawBody: 'not json' }));
    refused(requestOf(d, { rawBody: JSON.stringify({ passcode: secret }) }));
    // The same delivery with the right secret passes: only the change made the difference.
    expect(hooks.verify(requestOf(d), secret, Date.now()).kind).toBe('event');
  });

  it('accepts the secret alone as passcode (no team: its events route nowhere)', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Plain'));
    const r = bodyWith(d, { passcode: secret });
    const v = hooks.verify(r, secret, Date.now());
    if (v.kind !== 'event' || v.body === undefined) throw new Error('no event');
    expect(hooks.route(JSON.parse(v.body), v.eventType)).toEqual([]);
  });

  it('refuses an event more than a day old or more than 5 minutes ahead (stale)', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Late'));
    const at = Date.parse(payloadOf(d).timestamp as string);
    refused(requestOf(d), at + 86_400_000 + 1000);
    refused(requestOf(d), at - 301_000);
    refused(bodyWith(d, { timestamp: 'yesterday' }));
    // Within the day (Figma's last retry comes 3 h 35 min after the first try): accepted.
    expect(hooks.verify(requestOf(d), secret, at + 4 * 3_600_000).kind).toBe('event');
  });

  it('never queues the passcode: the body handed on carries team_id instead', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Secretless'));
    const { queued } = processed(d);
    expect(JSON.stringify(queued)).not.toContain(secret);
    expect(queued.passcode).toBeUndefined();
    expect(queued.team_id).toBe(design);
    expect(queued).toMatchObject({ event_type: 'FILE_COMMENT', file_key: file });
  });

  it('names a retry as the first delivery (same event, `retries` counted up)', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Retry me'));
    const retry = await figma.redeliver(figma.deliveries().indexOf(d));
    expect(retry.status).toBe(200);
    expect(payloadOf(retry).retries).toBe(1);
    const first = hooks.verify(requestOf(d), secret, Date.now());
    const again = hooks.verify(requestOf(retry), secret, Date.now());
    expect(again.kind === 'event' && again.deliveryId).toBe(first.kind === 'event' && first.deliveryId);
    // Two comments in the same second are two deliveries.
    const other = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Different'));
    const o = hooks.verify(requestOf(other), secret, Date.now());
    expect(o.kind === 'event' && o.deliveryId).not.toBe(first.kind === 'event' && first.deliveryId);
  });
});

describe('figma webhooks: route and apply', () => {
  it('routes by the team the passcode names to connections holding that team', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Routed'));
    const { keys } = processed(d);
    expect(keys).toEqual([`team:${design}`]);
    expect(hooks.connectionKeys({ account: figma.account, metadata })).toEqual([
      `team:${design}`,
      `team:${other}`,
    ]);
    expect(hooks.connectionKeys({ account: figma.account, metadata: {} })).toEqual([]);
  });

  it('FILE_COMMENT writes the comment as the comments sync does', async () => {
    const parent = figma.addComment(file, 'Is this final?', { silent: true });
    const d = await onlyDeliveryOf(figma, () =>
      figma.addComment(file, 'Yes, ask ', { parentId: parent, mention: figma.me }),
    );
    const { effect } = processed(d);
    if (effect?.kind !== 'records') throw new Error(`expected records, got ${JSON.stringify(effect)}`);
    expect(effect.sync).toBe('comments');
    const [record] = effect.records;
    expect(modelSchemas.message.safeParse(record?.data).success).toBe(true);
    const synced = await runSync('figma', 'comments', {
      credentials: figma.valid,
      baseUrl: figma.apiBaseUrl,
      config: { team_ids: [design] },
    });
    expect(synced.records.find((r) => r.id === record?.id)).toEqual(record);
    expect(record?.data).toMatchObject({
      text: `Yes, ask @${figma.me.handle}`,
      thread_id: parent,
      channel: file,
    });
  });

  it('FILE_COMMENT on a connection narrowed to projects runs the comments sync instead', async () => {
    const d = await onlyDeliveryOf(figma, () => figma.addComment(file, 'Narrowed'));
    expect(processed(d, { team_ids: [design], project_ids: ['1'] }).effect).toEqual({
      kind: 'sync',
      syncs: ['comments'],
    });
  });

  it('FILE_UPDATE runs the files sync; FILE_DELETE deletes the file record; PING changes nothing', async () => {
    const updated = await onlyDeliveryOf(figma, () => figma.updateFile(file, 'Home page v2'));
    expect(payloadOf(updated)).toMatchObject({ event_type: 'FILE_UPDATE', file_name: 'Home page v2' });
    expect(processed(updated).effect).toEqual({ kind: 'sync', syncs: ['files'] });
    const deleted = await onlyDeliveryOf(figma, () => figma.deleteFile(file));
    expect(processed(deleted).effect).toEqual({
      kind: 'records',
      sync: 'files',
      records: [],
      deletedIds: [`figma_file_${file}`],
    });
    expect(processed(figma.deliveries()[0] as WebhookDelivery).effect).toBeUndefined();
  });
});
