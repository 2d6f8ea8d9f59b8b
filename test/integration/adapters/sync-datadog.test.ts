import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { type DatadogFake, startDatadogFake } from '../../fakes/datadog';
import { randomHex } from '../../fakes/server';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const run = (dd: DatadogFake, sync: string, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('datadog', sync, { credentials: dd.valid, baseUrl: dd.apiBaseUrl, ...call }, o);
const calls = (dd: DatadogFake, path: string, from: number) =>
  dd.requests.slice(from).filter((r) => r.path === path);

describe('datadog monitors', () => {
  let dd: DatadogFake;
  beforeAll(async () => {
    dd = await startDatadogFake();
    dd.seedMonitors(250);
  });
  afterAll(() => dd.stop());

  it('reads every monitor exactly once, a page of 100 at a time, with both keys', async () => {
    const before = dd.requests.length;
    const r = await run(dd, 'monitors');
    expectValid(r.records, 'metric');
    expect(idsOf(r.records)).toEqual([...dd.monitors.keys()].map((id) => `dd_monitor_${id}`).sort());
    expect(r.pages).toBe(3);
    expect(r.checkpoints).toEqual([{ page: 1 }, { page: 2 }]);
    const [keys] = calls(dd, '/api/v1/monitor', before);
    expect(keys?.headers['dd-api-key']).toBe(secretsOf(dd.valid)[0]);
    expect(keys?.headers['dd-application-key']).toBe(secretsOf(dd.valid)[1]);
  });

  it('ends on a short page, even an empty one after an exact multiple of the page size', async () => {
    const exact = await startDatadogFake();
    try {
      exact.seedMonitors(200);
      const r = await run(exact, 'monitors');
      expect(r.records).toHaveLength(200);
      expect(r.pages).toBe(3);
    } finally {
      await exact.stop();
    }
  });

  it('maps a monitor to the metric model', async () => {
    const [id = 0] = dd.seedMonitors(1, {
      name: 'Checkout p99 latency',
      overall_state: 'Warn',
      tags: ['service:checkout', 'team:payments'],
      options: { thresholds: { critical: 2.5 }, silenced: {}, notify_no_data: true },
      modified: '2024-05-02T08:30:15.123456+00:00',
    });
    const r = await run(dd, 'monitors');
    expect(r.records.find((x) => x.id === `dd_monitor_${id}`)?.data).toEqual({
      name: 'Checkout p99 latency',
      kind: 'monitor',
      status: 'warn',
      raw_status: 'Warn',
      value: null,
      target: 2.5,
      tags: ['service:checkout', 'team:payments'],
      url: `https://app.datadoghq.com/monitors/${id}`,
      updated_at: '2024-05-02T08:30:15.123Z',
    });
  });

  it('maps the overall state, and a mute of the whole monitor that has not ended to muted', async () => {
    const hour = Math.floor(Date.now() / 1000) + 3600;
    const past = Math.floor(Date.now() / 1000) - 3600;
    const cases: [string, Record<string, number | null>, string][] = [
      ['OK', {}, 'ok'],
      ['Warn', {}, 'warn'],
      ['Alert', {}, 'alert'],
      ['No Data', {}, 'no_data'],
      ['Ignored', {}, 'unknown'],
      ['Skipped', {}, 'unknown'],
      ['Alert', { '*': null }, 'muted'],
      ['OK', { '*': hour }, 'muted'],
      // A mute that ended, and a mute of some groups only, leave the overall state.
      ['Alert', { '*': past }, 'alert'],
      ['Alert', { 'host:web-1': null }, 'alert'],
    ];
    const ids = cases.map(
      ([state, silenced]) =>
        dd.seedMonitors(1, {
          overall_state: state,
          options: { thresholds: { critical: 90 }, silenced, notify_no_data: false },
        })[0],
    );
    const byId = new Map((await run(dd, 'monitors')).records.map((r) => [r.id, r.data]));
    cases.forEach(([state, , status], i) => {
      expect(byId.get(`dd_monitor_${ids[i]}`), `${state} ${JSON.stringify(cases[i]?.[1])}`).toMatchObject({
        status,
        raw_status: state,
      });
    });
  });

  it("links to the monitor on the connection's site", async () => {
    const [id] = dd.seedMonitors(1);
    const urlOn = async (site: string) =>
      (await run(dd, 'monitors', { config: { site } })).records.find((r) => r.id === `dd_monitor_${id}`)?.data
        .url;
    expect(await urlOn('datadoghq.eu')).toBe(`https://app.datadoghq.eu/monitors/${id}`);
    expect(await urlOn('us3.datadoghq.com')).toBe(`https://us3.datadoghq.com/monitors/${id}`);
    expect(await urlOn('ap1.datadoghq.com')).toBe(`https://ap1.datadoghq.com/monitors/${id}`);
    expect(await urlOn('ddog-gov.com')).toBe(`https://app.ddog-gov.com/monitors/${id}`);
  });

  it('resumes from a stored checkpoint without repeating or skipping', async () => {
    const first = await run(dd, 'monitors', {}, { maxPages: 1 });
    const rest = await run(dd, 'monitors', { checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(
      [...dd.monitors.keys()].map((id) => `dd_monitor_${id}`).sort(),
    );
  });

  it('is rate limited for as long as X-RateLimit-Reset says (seconds, not an epoch)', async () => {
    dd.failNext('rate_limit', 17);
    await expectProviderError(
      fetchPage('datadog', 'monitors', {
        credentials: dd.valid,
        baseUrl: dd.apiBaseUrl,
        checkpoint: { page: 1 },
      }),
      'rate_limited',
    ).then((e) => expect(e.retryAfterSeconds).toBe(17));
  });

  it("is unreachable on a 5xx, and refused with Datadog's words for wrong keys", async () => {
    dd.failNext('down');
    await expectProviderError(run(dd, 'monitors'), 'unreachable', { status: 503 });
    const wrong: Credentials = { type: 'api_key', api_key: randomHex(32), app_key: randomHex(40) };
    await expectProviderError(run(dd, 'monitors', { credentials: wrong }), 'rejected', {
      message: 'Forbidden',
      status: 403,
      secrets: secretsOf(wrong),
    });
  });
});

describe('datadog slos', () => {
  let dd: DatadogFake;
  beforeAll(async () => {
    dd = await startDatadogFake();
    dd.seedSlos(230);
  });
  afterAll(() => dd.stop());

  it('reads every SLO exactly once, by offset in pages of 100', async () => {
    const r = await run(dd, 'slos');
    expectValid(r.records, 'metric');
    expect(idsOf(r.records)).toEqual([...dd.slos.keys()].map((id) => `dd_slo_${id}`).sort());
    expect(r.checkpoints).toEqual([{ offset: 100 }, { offset: 200 }]);
  });

  it("maps an SLO: its primary timeframe's target, no measured value", async () => {
    const [id = ''] = dd.seedSlos(1, {
      name: 'API availability',
      tags: ['service:api'],
      modified_at: 1_714_638_615,
    });
    const r = await run(dd, 'slos');
    expect(r.records.find((x) => x.id === `dd_slo_${id}`)?.data).toEqual({
      name: 'API availability',
      kind: 'slo',
      status: 'unknown',
      raw_status: null,
      value: null,
      target: 99.9,
      tags: ['service:api'],
      url: `https://app.datadoghq.com/slo?slo_id=${id}`,
      updated_at: '2024-05-02T08:30:15.000Z',
    });
  });

  it('falls back to the threshold of the primary timeframe, then the first threshold', async () => {
    const thresholds = [
      { timeframe: '7d', target: 95, target_display: '95.' },
      { timeframe: '90d', target: 97, target_display: '97.' },
    ];
    const slo = dd.slos.get(dd.seedSlos(1, { thresholds, timeframe: '90d' })[0] ?? '');
    const older = dd.slos.get(dd.seedSlos(1, { thresholds })[0] ?? '');
    if (!slo || !older) throw new Error('not seeded');
    // SLOs made before `timeframe` and `target_threshold` existed carry only thresholds.
    delete (slo as Partial<typeof slo>).target_threshold;
    delete (older as Partial<typeof older>).target_threshold;
    delete (older as Partial<typeof older>).timeframe;
    const byId = new Map((await run(dd, 'slos')).records.map((r) => [r.id, r.data]));
    expect(byId.get(`dd_slo_${slo.id}`)?.target).toBe(97);
    expect(byId.get(`dd_slo_${older.id}`)?.target).toBe(95);
  });
});

describe('datadog incidents', () => {
  let dd: DatadogFake;
  beforeAll(async () => {
    dd = await startDatadogFake();
    dd.seedIncidents(230);
  });
  afterAll(() => dd.stop());

  it('reads every incident exactly once, 100 a page, with their users included', async () => {
    const before = dd.requests.length;
    const r = await run(dd, 'incidents');
    expectValid(r.records, 'work_item');
    expect(idsOf(r.records)).toEqual([...dd.incidents.keys()].map((id) => `dd_incident_${id}`).sort());
    expect(r.checkpoints).toEqual([{ offset: 100 }, { offset: 200 }]);
    expect(calls(dd, '/api/v2/incidents', before)).toHaveLength(3);
  });

  it('maps state, severity, commander and customer impact', async () => {
    const r = await run(dd, 'incidents');
    const byId = new Map(r.records.map((x) => [x.id, x.data]));
    const status = { active: 'in_progress', stable: 'in_progress', resolved: 'done', completed: 'done' };
    const seen = new Set<string>();
    for (const i of dd.incidents.values()) {
      seen.add(i.state);
      expect(byId.get(`dd_incident_${i.id}`)).toEqual({
        title: i.title,
        description: i.customer_impacted ? i.customer_impact_scope : null,
        status: status[i.state],
        raw_status: i.state,
        assignees: i.commander ? ['mia@acme.com'] : [],
        labels: i.severity === 'UNKNOWN' ? [] : [i.severity],
        url: `https://app.datadoghq.com/incidents/${i.public_id}`,
        project: null,
        due_date: null,
        created_at: new Date(i.created).toISOString(),
        updated_at: new Date(i.modified).toISOString(),
      });
    }
    expect([...seen].sort()).toEqual(['active', 'completed', 'resolved', 'stable']);
  });

  it('hands on only the incidents changed since the last run when incremental', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const [a = '', b = '', c = ''] = [...dd.incidents.keys()].slice(5, 8);
    dd.updateIncident(a, { state: 'resolved' });
    dd.updateIncident(b, { title: 'Checkout errors (root cause: DNS)' });
    const r = await run(dd, 'incidents', { since });
    expect(idsOf(r.records)).toEqual([`dd_incident_${a}`, `dd_incident_${b}`].sort());
    expect(r.records.find((x) => x.id === `dd_incident_${a}`)?.data).toMatchObject({
      status: 'done',
      raw_status: 'resolved',
    });
    expect(r.records.map((x) => x.id)).not.toContain(`dd_incident_${c}`);
    // A full run still hands on everything.
    expect((await run(dd, 'incidents', { mode: 'full', since })).records).toHaveLength(dd.incidents.size);
  });

  it('is rate limited on any page, resuming at the same offset', async () => {
    dd.failNext('rate_limit', 5);
    const e = await expectProviderError(
      fetchPage('datadog', 'incidents', {
        credentials: dd.valid,
        baseUrl: dd.apiBaseUrl,
        checkpoint: { offset: 100 },
      }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(5);
    const page = await fetchPage('datadog', 'incidents', {
      credentials: dd.valid,
      baseUrl: dd.apiBaseUrl,
      checkpoint: { offset: 100 },
    });
    expect(page.records).toHaveLength(100);
    expect(page.next).toEqual({ offset: 200 });
  });
});
