import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { routingKey } from '../../../adapters/webhook-routing';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { randomToken } from '../../fakes/server';
import { runSync } from './sync-helpers';
import { verify } from './verify-helpers';
import { eventsAsTheyCome, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('azure_boards');

describe('azure_boards webhooks (service hooks, Web Hooks consumer)', () => {
  const secret = randomToken(40);
  let az: AzureDevOpsFake;
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  let items: number[];
  let metadata: Record<string, string>;
  const config = { organization: 'acme' };
  const events = eventsAsTheyCome(hooks, secret);
  const next = () => events(az, receiver.received);

  beforeAll(async () => {
    az = await startAzureDevOpsFake();
    az.addProject('Fabrikam');
    az.addProject('Web');
    items = az.seedWorkItems('Fabrikam', 3);
    metadata =
      (await verify('azure_boards', { credentials: az.valid, baseUrl: az.apiBaseUrl, config })).metadata ??
      {};
    receiver = await startVerifyingReceiver(hooks, secret);
    // Basic authentication on the subscription, the secret as its password.
    az.registerWebhook(receiver.url, { username: 'azure', password: secret });
  });
  afterAll(async () => {
    await az.stop();
    await receiver.stop();
  });

  it('verifies the basic password and names the event and its id', async () => {
    az.updateWorkItem(items[0] as number, { title: 'Refunds fail' });
    const [e] = await next();
    expect(az.deliveries().at(-1)?.status).toBe(200);
    expect(e?.eventType).toBe('workitem.updated');
    expect(e?.deliveryId).toBe(e?.payload.id);
  });

  it('refuses a request with no credentials, a wrong password, or a wrong secret header (401)', () => {
    const good = receiver.received.at(-1) as WebhookRequest;
    const { authorization: _, ...bare } = good.headers;
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    for (const r of [
      { ...good, headers: bare },
      { ...good, headers: { ...good.headers, authorization: basic('azure', secret.slice(0, -1)) } },
      { ...good, headers: { ...good.headers, authorization: basic('azure', `${secret}x`) } },
      { ...good, headers: { ...good.headers, authorization: 'Bearer x' } },
      // A right header does not excuse a wrong password.
      {
        ...good,
        headers: { ...good.headers, authorization: basic('azure', 'nope'), 'x-webhook-secret': secret },
      },
      { ...good, headers: { ...bare, 'x-webhook-secret': `${secret}x` } },
    ]) {
      expect(() => hooks.verify(r, secret, Date.now())).toThrow(WebhookRefused);
    }
    expect(() => hooks.verify(good, randomToken(40), Date.now())).toThrow(WebhookRefused);
    // The receiver answered 401 to none of the fake's deliveries so far, and would to these.
    expect(az.deliveries().every((d) => d.status === 200)).toBe(true);
  });

  it('accepts a subscription that sends the secret as an X-Webhook-Secret header instead', async () => {
    const good = receiver.received.at(-1) as WebhookRequest;
    const { authorization: _, ...bare } = good.headers;
    const verified = hooks.verify(
      { ...good, headers: { ...bare, 'x-webhook-secret': secret } },
      secret,
      Date.now(),
    );
    expect(verified.kind).toBe('event');
  });

  it('routes by the organization, as the connection knows it from verification', async () => {
    az.updateWorkItem(items[1] as number, { state: 'Active' });
    const [e] = await next();
    const mine = hooks.connectionKeys({ account: az.account, metadata });
    expect(e?.keys).toEqual([routingKey('org', az.organizationId), routingKey('namespace', 'acme')]);
    expect(e?.keys.some((k) => mine.includes(k))).toBe(true);
    const other = hooks.connectionKeys({
      account: az.account,
      metadata: { organization: 'contoso', organization_id: 'c0ffee00-0000-0000-0000-000000000000' },
    });
    expect(e?.keys.some((k) => other.includes(k))).toBe(false);
  });

  it('applies workitem.updated from resource.revision: the record the sync writes', async () => {
    az.updateWorkItem(items[2] as number, { title: 'Ship it', state: 'Closed' });
    const [e] = await next();
    const effect = hooks.apply(e?.payload, 'workitem.updated', { config, metadata });
    const synced = await runSync('azure_boards', 'work_items', {
      credentials: az.valid,
      baseUrl: az.apiBaseUrl,
      config,
    });
    const record = synced.records.find((r) => r.id === `azb_wi_${items[2]}`);
    expect(effect).toEqual({ kind: 'records', sync: 'work_items', records: [record], deletedIds: [] });
    expect(record?.data).toMatchObject({ title: 'Ship it', status: 'done' });
  });

  it('applies workitem.created and workitem.deleted; other projects than config.projects change nothing', async () => {
    const [created] = az.seedWorkItems('Web', 1);
    az.deleteWorkItem(created as number);
    const [e] = await next();
    expect(e?.eventType).toBe('workitem.deleted');
    expect(hooks.apply(e?.payload, 'workitem.deleted', { config, metadata })).toEqual({
      kind: 'records',
      sync: 'work_items',
      records: [],
      deletedIds: [`azb_wi_${created}`],
    });
    expect(
      hooks.apply(e?.payload, 'workitem.deleted', {
        config: { ...config, projects: ['Fabrikam'] },
        metadata,
      }),
    ).toBeUndefined();
  });

  it('a state the mapping does not know by name, or a payload it cannot read, runs the sync', async () => {
    const [story] = az.seedWorkItems('Fabrikam', 1, { type: 'User Story' });
    az.updateWorkItem(story as number, { state: 'Ready for QA' });
    const [e] = await next();
    expect(hooks.apply(e?.payload, 'workitem.updated', { config, metadata })).toEqual({
      kind: 'sync',
      syncs: ['work_items'],
    });
    expect(hooks.apply({ resource: {} }, 'workitem.updated', { config, metadata })).toEqual({
      kind: 'sync',
      syncs: ['work_items'],
    });
    expect(hooks.apply({}, 'git.push', { config, metadata })).toBeUndefined();
  });
});
