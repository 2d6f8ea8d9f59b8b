import { expect } from 'vitest';
import { DATADOG_REFUSAL, startDatadogFake } from '../../fakes/datadog';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Datadog against its fake: a connection with an API key and an application key, 230
 * monitors (a page of 100 at a time, one already muted), 120 SLOs and 150 incidents (pages
 * of 100), and a monitor to list, mute and unmute.
 */
const scenario: ProviderScenario = {
  provider: 'datadog',
  start: async () => {
    const dd = await startDatadogFake();
    dd.seedMonitors(228);
    dd.seedMonitors(1, {
      options: { thresholds: { critical: 5 }, silenced: { '*': null }, notify_no_data: false },
    });
    const [checkout = 0] = dd.seedMonitors(1, {
      name: 'Checkout error rate',
      tags: ['service:checkout', 'team:payments'],
      overall_state: 'Alert',
    });
    dd.seedSlos(120);
    dd.seedIncidents(150);

    return {
      stop: () => dd.stop(),
      integration: { provider: 'datadog', endpoints: { api_base_url: dd.apiBaseUrl } },
      connection: { credentials: dd.valid as Record<string, unknown>, config: { site: 'datadoghq.eu' } },
      syncs: {
        monitors: { model: 'metric', count: dd.monitors.size },
        slos: { model: 'metric', count: dd.slos.size },
        incidents: { model: 'work_item', count: dd.incidents.size },
      },
      actions: {
        list_monitors: {
          input: { monitor_tags: ['team:payments'] },
          check: (data: Json) => {
            expect(data).toEqual({
              monitors: [
                expect.objectContaining({
                  id: `dd_monitor_${checkout}`,
                  name: 'Checkout error rate',
                  kind: 'monitor',
                  status: 'alert',
                  url: `https://app.datadoghq.eu/monitors/${checkout}`,
                }),
              ],
              next_cursor: null,
            });
          },
        },
        mute_monitor: {
          input: { monitor_id: `dd_monitor_${checkout}`, scope: 'host:web-1' },
          check: (data: Json) => {
            expect(dd.monitors.get(checkout)?.options.silenced).toEqual({ 'host:web-1': null });
            expect(data.monitor).toMatchObject({ id: `dd_monitor_${checkout}`, status: 'alert' });
          },
        },
        unmute_monitor: {
          input: { monitor_id: checkout, scope: 'host:web-1' },
          check: (data: Json) => {
            expect(dd.monitors.get(checkout)?.options.silenced).toEqual({});
            expect(data.monitor).toMatchObject({ id: `dd_monitor_${checkout}`, status: 'alert' });
          },
        },
      },
      probe: 'list_monitors',
      failNext: (kind, retryAfterSeconds) => dd.failNext(kind, retryAfterSeconds),
      refusalMessage: DATADOG_REFUSAL,
    };
  },
};

export default scenario;
