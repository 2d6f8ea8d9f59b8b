import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { metric } from '../../../adapters/models';
import { DATADOG_REFUSAL, type DatadogFake, startDatadogFake } from '../../fakes/datadog';
import { type ActionCall, runAction } from './action-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let dd: DatadogFake;
let checkout: number;
beforeAll(async () => {
  dd = await startDatadogFake();
  dd.seedMonitors(130);
  [checkout = 0] = dd.seedMonitors(1, {
    name: 'Checkout error rate',
    query: 'sum(last_5m):sum:checkout.errors{env:prod,host:web-1} > 10',
    tags: ['service:checkout', 'team:payments'],
    overall_state: 'Alert',
  });
});
afterAll(() => dd.stop());

const act = (action: string, input: Record<string, unknown>, o: Partial<ActionCall> = {}) =>
  runAction('datadog', action, { credentials: dd.valid, baseUrl: dd.apiBaseUrl, ...o }, input);
type Monitors = { monitors: { id: string; name: string }[]; next_cursor: string | null };

describe('datadog list_monitors', () => {
  it('is a read', async () => {
    expect(
      (await loadAdapter('datadog'))?.manifest.actions.find((a) => a.name === 'list_monitors')?.writes,
    ).toBe(false);
  });

  it('lists monitors as metrics with their record ids, a page at a time', async () => {
    const first = (await act('list_monitors', {})) as Monitors;
    expect(first.monitors).toHaveLength(100);
    expect(first.next_cursor).toBe('1');
    for (const { id, ...m } of first.monitors) {
      expect(id).toMatch(/^dd_monitor_\d+$/);
      expect(metric.safeParse(m).success).toBe(true);
    }
    const second = (await act('list_monitors', { cursor: first.next_cursor })) as Monitors;
    expect(second.monitors).toHaveLength(31);
    expect(second.next_cursor).toBeNull();
    expect(new Set([...first.monitors, ...second.monitors].map((m) => m.id)).size).toBe(131);
    const small = (await act('list_monitors', { page_size: 7 })) as Monitors;
    expect(small.monitors).toHaveLength(7);
  });

  it('filters by name, scope tags and monitor tags', async () => {
    const expected = {
      monitors: [
        {
          id: `dd_monitor_${checkout}`,
          name: 'Checkout error rate',
          kind: 'monitor',
          status: 'alert',
          raw_status: 'Alert',
          value: null,
          target: 90,
          tags: ['service:checkout', 'team:payments'],
          url: `https://app.datadoghq.com/monitors/${checkout}`,
          updated_at: expect.any(String),
        },
      ],
      next_cursor: null,
    };
    expect(await act('list_monitors', { name: 'checkout error' })).toEqual(expected);
    expect(await act('list_monitors', { monitor_tags: ['team:payments', 'service:checkout'] })).toEqual(
      expected,
    );
    expect(await act('list_monitors', { tags: ['host:web-1', 'env:prod'] })).toEqual(expected);
    expect(await act('list_monitors', { name: 'checkout', monitor_tags: ['team:other'] })).toEqual({
      monitors: [],
      next_cursor: null,
    });
  });

  it('is rate limited for X-RateLimit-Reset seconds, unreachable on a 5xx, refused in Datadog words', async () => {
    dd.failNext('rate_limit', 7);
    const e = await expectProviderError(act('list_monitors', {}), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBe(7);
    dd.failNext('down');
    await expectProviderError(act('list_monitors', {}), 'unreachable', { status: 503 });
    dd.failNext('refuse');
    await expectProviderError(act('list_monitors', {}), 'rejected', {
      message: DATADOG_REFUSAL,
      status: 403,
      secrets: secretsOf(dd.valid),
    });
  });
});

describe('datadog mute_monitor and unmute_monitor', () => {
  it('are writes', async () => {
    const actions = (await loadAdapter('datadog'))?.manifest.actions ?? [];
    expect(actions.filter((a) => a.writes).map((a) => a.name)).toEqual(['mute_monitor', 'unmute_monitor']);
  });

  it('mutes the whole monitor until unmuted, and unmutes it', async () => {
    const muted = await act('mute_monitor', { monitor_id: checkout });
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({ '*': null });
    expect(muted).toEqual({
      monitor: expect.objectContaining({
        id: `dd_monitor_${checkout}`,
        name: 'Checkout error rate',
        status: 'muted',
        raw_status: 'Alert',
      }),
    });
    expect(dd.requests.at(-1)).toMatchObject({ method: 'POST', path: `/api/v1/monitor/${checkout}/mute` });

    // The record id list_monitors answers works too.
    const unmuted = await act('unmute_monitor', { monitor_id: `dd_monitor_${checkout}` });
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({});
    expect(unmuted).toMatchObject({ monitor: { id: `dd_monitor_${checkout}`, status: 'alert' } });
  });

  it('mutes a scope until a time (epoch seconds at Datadog); a scoped mute keeps the state', async () => {
    const end = new Date(Date.now() + 2 * 3600_000);
    const data = await act('mute_monitor', {
      monitor_id: String(checkout),
      scope: 'host:web-1',
      end: end.toISOString(),
    });
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({
      'host:web-1': Math.floor(end.getTime() / 1000),
    });
    expect(data).toMatchObject({ monitor: { status: 'alert' } });
    await act('unmute_monitor', { monitor_id: checkout, scope: 'host:web-1' });
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({});

    await act('mute_monitor', { monitor_id: checkout, scope: 'host:web-2' });
    await act('mute_monitor', { monitor_id: checkout });
    await act('unmute_monitor', { monitor_id: checkout, all_scopes: true });
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({});
  });

  it("is refused with Datadog's message: unknown monitor, no write permission, an end in the past", async () => {
    await expectProviderError(act('mute_monitor', { monitor_id: 1 }), 'rejected', {
      message: 'Monitor not found',
      status: 404,
    });
    await expectProviderError(act('unmute_monitor', { monitor_id: 1 }), 'rejected', {
      message: 'Monitor not found',
      status: 404,
    });
    await expectProviderError(
      act('mute_monitor', { monitor_id: checkout }, { credentials: dd.readOnly }),
      'rejected',
      { message: 'Failed permission authorization checks', status: 403, secrets: secretsOf(dd.readOnly) },
    );
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({});
    await expectProviderError(
      act('mute_monitor', { monitor_id: checkout, end: '2020-01-01T00:00:00Z' }),
      'rejected',
      { message: 'Mute end time must be in the future', status: 400 },
    );
  });

  it('is rate limited and unreachable like every call, changing nothing', async () => {
    dd.failNext('rate_limit', 3);
    const e = await expectProviderError(act('mute_monitor', { monitor_id: checkout }), 'rate_limited');
    expect(e.retryAfterSeconds).toBe(3);
    dd.failNext('down');
    await expectProviderError(act('unmute_monitor', { monitor_id: checkout }), 'unreachable');
    expect(dd.monitors.get(checkout)?.options.silenced).toEqual({});
  });

  it('refuses a monitor id that is neither a number nor a record id, calling nothing', async () => {
    const before = dd.requests.length;
    await expect(act('mute_monitor', { monitor_id: 'dd_slo_1' })).rejects.toThrow(/input refused/);
    await expect(act('mute_monitor', { monitor_id: 0 })).rejects.toThrow(/input refused/);
    expect(dd.requests.length).toBe(before);
  });
});
