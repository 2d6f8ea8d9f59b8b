import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { randomToken } from '../../fakes/server';
import { webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('datadog');
const secret = randomToken(40);

/** What Datadog posts with README's template filled in, and the custom header the user set. */
const alert = (over: Record<string, string> = {}, header: string | null = secret): WebhookRequest => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(header !== null ? { 'x-integrations-secret': header } : {}),
  },
  query: {},
  rawBody: JSON.stringify({
    id: '7718209837410293',
    alert_id: '4107',
    alert_transition: 'Triggered',
    alert_status: 'Checkout latency is above 800ms on host:web-1',
    alert_title: '[Triggered on {host:web-1}] Checkout latency',
    event_type: 'query_alert_monitor',
    date: '1764673200000',
    last_updated: '1764673200000',
    org_id: '11287',
    org_public_id: 'abc123def',
    link: 'https://app.datadoghq.com/event/event?id=7718209837410293',
    ...over,
  }),
});
const payloadOf = (r: WebhookRequest) => JSON.parse(String(r.rawBody)) as Record<string, unknown>;

describe('datadog webhooks', () => {
  it('verify: the custom header equal to the secret passes, named by $ID and the transition', () => {
    expect(hooks.verify(alert(), secret, Date.now())).toEqual({
      kind: 'event',
      deliveryId: '7718209837410293',
      eventType: 'monitor.Triggered',
    });
  });

  it('verify: a missing, empty, wrong or longer header is refused (→ 401), as is a body not of the template', () => {
    for (const header of [null, '', secret.slice(0, -1), `${secret}x`, randomToken(40)]) {
      expect(() => hooks.verify(alert({}, header), secret, Date.now()), String(header)).toThrow(
        WebhookRefused,
      );
    }
    const noAlert = { ...alert(), rawBody: JSON.stringify({ hello: 'world' }) };
    expect(() => hooks.verify(noAlert, secret, Date.now())).toThrow(WebhookRefused);
  });

  it("route: by $ORG_PUBLIC_ID and $ORG_ID, against the connection's org public id and org id", () => {
    const keys = new Set<string>(hooks.route(payloadOf(alert()), 'monitor.Triggered'));
    expect(keys).toEqual(new Set(['org:abc123def', 'account:11287']));
    const reaches = (account: string, org?: string) =>
      hooks
        .connectionKeys({
          account: { id: account, name: 'Acme' },
          metadata: org ? { org_public_id: org } : {},
        })
        .some((k) => keys.has(k));
    expect(reaches('other', 'abc123def')).toBe(true);
    expect(reaches('11287')).toBe(true);
    expect(reaches('11288', 'zzz')).toBe(false);
  });

  it('apply: Triggered→alert, Warn→warn, Recovered→ok, No Data→no_data on the monitor record, its synced fields kept', () => {
    const cases: [string, string, string][] = [
      ['Triggered', 'alert', 'Alert'],
      ['Warn', 'warn', 'Warn'],
      ['Recovered', 'ok', 'OK'],
      ['No Data', 'no_data', 'No Data'],
    ];
    for (const [transition, status, raw] of cases) {
      const effect = hooks.apply(payloadOf(alert({ alert_transition: transition })), `monitor.${transition}`);
      expect(effect).toEqual({
        kind: 'records',
        sync: 'monitors',
        records: [
          {
            id: 'dd_monitor_4107',
            data: {
              name: 'Checkout latency',
              kind: 'monitor',
              status,
              raw_status: raw,
              value: null,
              target: null,
              tags: [],
              url: 'https://app.datadoghq.com/event/event?id=7718209837410293',
              updated_at: '2025-12-02T11:00:00.000Z',
            },
          },
        ],
        deletedIds: [],
        keep: ['name', 'tags', 'target', 'url'],
      });
    }
    // Other transitions (an Unmuted event) change no record; a payload off the template runs the sync.
    expect(hooks.apply(payloadOf(alert({ alert_transition: 'Unmuted' })), 'monitor.Unmuted')).toBeUndefined();
    expect(hooks.apply({ alert_id: 'x' }, 'monitor.Triggered')).toEqual({
      kind: 'sync',
      syncs: ['monitors'],
    });
  });
});
