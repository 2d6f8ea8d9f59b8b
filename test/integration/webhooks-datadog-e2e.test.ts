import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensitive } from '../leak-watch';
import { call, expectError, type Harness, startHarness } from './harness';

/**
 * Datadog monitor alerts at the receiver, as Datadog's Webhooks integration posts them with the
 * custom header README "Datadog" has the user set: the integration's webhook secret in
 * `X-Integrations-Secret` → 200; missing or wrong → 401 `unauthorized`, nothing queued.
 */

let h: Harness;
let secret: string;
const body = JSON.stringify({
  id: '7718209837410293',
  alert_id: '4107',
  alert_transition: 'Triggered',
  alert_status: 'Checkout latency is above 800ms',
  alert_title: '[Triggered] Checkout latency',
  event_type: 'query_alert_monitor',
  date: '1764673200000',
  last_updated: '1764673200000',
  org_id: '11287',
  org_public_id: 'abc123def',
  link: 'https://app.datadoghq.com/monitors/4107',
});

beforeAll(async () => {
  h = await startHarness();
  secret = sensitive(`dd-${randomUUID()}`);
  const i = await call(h.gateway.url, '/v1/integrations', {
    key: h.key,
    method: 'POST',
    body: JSON.stringify({ unique_key: 'datadog-alerts', provider: 'datadog', webhook_secret: secret }),
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
});
afterAll(async () => {
  await h?.stop();
});

const post = (headers: Record<string, string>) =>
  call(h.gateway.url, `/webhooks/${h.tenantId}/datadog-alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

describe('datadog alert webhooks at the receiver', () => {
  it('the secret in X-Integrations-Secret → 200 received', async () => {
    const r = await post({ 'x-integrations-secret': secret });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ status: 'success', data: { received: true } });
  });

  it('missing → 401', async () => {
    expectError(await post({}), 401, 'unauthorized');
  });

  it('wrong (another value, the secret with a byte more or less, another header) → 401', async () => {
    for (const headers of [
      { 'x-integrations-secret': `dd-${randomUUID()}` },
      { 'x-integrations-secret': `${secret}x` },
      { 'x-integrations-secret': secret.slice(0, -1) },
      { 'x-gitlab-token': secret },
    ]) {
      expectError(await post(headers), 401, 'unauthorized');
    }
  });
});
