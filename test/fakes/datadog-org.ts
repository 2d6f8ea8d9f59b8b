import { randomUUID } from 'node:crypto';
import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * A Datadog organization's monitors, SLOs and incidents, served in Datadog's shapes:
 * - GET /api/v1/monitor: a bare array in id order; `page` (0-based) with `page_size`
 *   (default 100, at most 1000), all monitors when `page` is absent; `name` (substring),
 *   `tags` (scope tags in the query) and `monitor_tags` (the monitor's tags), comma-separated.
 *   https://docs.datadoghq.com/api/latest/monitors/#get-all-monitor-details
 * - POST /api/v1/monitor/{id}/mute (`scope`, `end` epoch seconds) and …/unmute (`scope`,
 *   `all_scopes`) in the query; both answer the monitor. `options.silenced` maps each muted
 *   scope (`*`: the whole monitor) to the epoch second its mute ends, or null.
 *   https://docs.datadoghq.com/api/latest/monitors/#mute-a-monitor
 * - GET /api/v1/slo: `{data, errors, metadata: {page: {total_count, total_filtered_count}}}`,
 *   `limit` (default 1000) and `offset`.
 *   https://docs.datadoghq.com/api/latest/service-level-objectives/#get-all-slos
 * - GET /api/v2/incidents: JSON:API, in creation order, `page[size]` (default 10, at most
 *   100) and `page[offset]`, `meta.pagination {offset, next_offset, size}`, `include=users`.
 *   https://docs.datadoghq.com/api/latest/incidents/#get-a-list-of-incidents
 * Refusals are `{"errors": ["…"]}`.
 */

export type FakeMonitor = {
  id: number;
  name: string;
  type: string;
  query: string;
  message: string;
  tags: string[];
  overall_state: string;
  options: {
    thresholds: { critical: number; warning?: number };
    silenced: Record<string, number | null>;
    notify_no_data: boolean;
  };
  created: string;
  modified: string;
};

export type FakeSlo = {
  id: string;
  name: string;
  type: 'metric' | 'monitor';
  tags: string[];
  timeframe: string;
  target_threshold: number;
  thresholds: { timeframe: string; target: number; target_display: string; warning?: number }[];
  monitor_ids: number[];
  created_at: number;
  modified_at: number;
};

export type FakeIncident = {
  id: string;
  public_id: number;
  title: string;
  state: 'active' | 'stable' | 'resolved' | 'completed';
  severity: string;
  customer_impacted: boolean;
  customer_impact_scope: string | null;
  commander: string | null;
  created: string;
  modified: string;
};

export type FakeUser = { id: string; handle: string; name: string };

const MONITOR_STATES = ['OK', 'Alert', 'Warn', 'No Data', 'OK', 'OK'];
const SEVERITIES = ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4', 'UNKNOWN'];
const STATES: FakeIncident['state'][] = ['active', 'stable', 'resolved', 'completed'];

/** Datadog's timestamps: microseconds and a +00:00 offset. */
const ddTime = (ms: number) => new Date(ms).toISOString().replace('Z', '000+00:00');

export const errors = (status: number, ...messages: string[]): FakeReply =>
  reply(status, { errors: messages });

const int = (v: string | null, fallback: number): number | undefined => {
  if (v === null) return fallback;
  return /^\d+$/.test(v) ? Number(v) : undefined;
};

export const datadogOrg = (creator: { email: string; handle: string; name: string }) => {
  const monitors = new Map<number, FakeMonitor>();
  const slos = new Map<string, FakeSlo>();
  const incidents = new Map<string, FakeIncident>();
  const users = new Map<string, FakeUser>();
  let nextMonitorId = 1_200_000 + Math.floor(Math.random() * 1000);
  let nextPublicId = 1;
  let clock = Date.parse('2024-03-01T09:00:00.000Z');
  const tick = () => {
    clock += 60_000 + Math.floor(Math.random() * 60_000);
    return ddTime(clock);
  };

  const seedMonitors = (n: number, o: Partial<Omit<FakeMonitor, 'id'>> = {}): number[] =>
    Array.from({ length: n }, () => {
      const id = nextMonitorId;
      nextMonitorId += 1 + Math.floor(Math.random() * 5);
      const host = `web-${id % 7}`;
      const created = tick();
      monitors.set(id, {
        id,
        name: `CPU high on ${host} (${id})`,
        type: 'query alert',
        query: `avg(last_5m):avg:system.cpu.user{host:${host}} > 90`,
        message: 'CPU is high @slack-ops',
        tags: [`service:svc-${id % 3}`, 'env:prod'],
        overall_state: MONITOR_STATES[id % MONITOR_STATES.length] as string,
        options: { thresholds: { critical: 90, warning: 80 }, silenced: {}, notify_no_data: false },
        created,
        modified: created,
        ...o,
      });
      return id;
    });

  const seedSlos = (n: number, o: Partial<Omit<FakeSlo, 'id'>> = {}): string[] =>
    Array.from({ length: n }, (_, i) => {
      const id = randomUUID().replaceAll('-', '');
      const at = Math.floor(Date.parse(tick()) / 1000);
      slos.set(id, {
        id,
        name: `Checkout availability ${slos.size + 1}`,
        type: 'metric',
        tags: ['service:checkout', `team:t${i % 4}`],
        timeframe: '30d',
        target_threshold: 99.9,
        thresholds: [
          { timeframe: '7d', target: 99.5, target_display: '99.5', warning: 99.8 },
          { timeframe: '30d', target: 99.9, target_display: '99.9' },
        ],
        monitor_ids: [],
        created_at: at,
        modified_at: at,
        ...o,
      });
      return id;
    });

  const addUser = (handle: string, name: string): FakeUser => {
    const u = { id: randomUUID(), handle, name };
    users.set(u.id, u);
    return u;
  };
  const commander = addUser('mia@acme.com', 'Mia Chen');

  const seedIncidents = (n: number, o: Partial<Omit<FakeIncident, 'id' | 'public_id'>> = {}): string[] =>
    Array.from({ length: n }, (_, i) => {
      const id = randomUUID();
      const created = tick();
      const impacted = i % 3 === 0;
      incidents.set(id, {
        id,
        public_id: nextPublicId++,
        title: `Checkout errors ${nextPublicId - 1}`,
        state: STATES[i % STATES.length] as FakeIncident['state'],
        severity: SEVERITIES[i % SEVERITIES.length] as string,
        customer_impacted: impacted,
        customer_impact_scope: impacted ? 'Some payments fail' : null,
        commander: i % 2 === 0 ? commander.id : null,
        created,
        modified: created,
        ...o,
      });
      return id;
    });

  /** Edits an incident as the Datadog UI would: `modified` moves to now. */
  const updateIncident = (id: string, patch: Partial<FakeIncident>) => {
    const i = incidents.get(id);
    if (!i) throw new Error(`no incident ${id}`);
    Object.assign(i, patch, { modified: ddTime(Date.now()) });
  };

  const monitorJson = (m: FakeMonitor) => ({
    id: m.id,
    org_id: 321813,
    name: m.name,
    type: m.type,
    query: m.query,
    message: m.message,
    tags: m.tags,
    options: {
      ...m.options,
      include_tags: true,
      new_host_delay: 300,
      notify_audit: false,
      require_full_window: false,
    },
    overall_state: m.overall_state,
    overall_state_modified: m.modified,
    multi: false,
    priority: null,
    restricted_roles: null,
    deleted: null,
    created: m.created,
    created_at: Date.parse(m.created),
    modified: m.modified,
    creator: creator,
  });

  const sloJson = (s: FakeSlo) => ({
    ...s,
    description: null,
    query:
      s.type === 'metric' ? { numerator: 'sum:checkout.ok{*}', denominator: 'sum:checkout.all{*}' } : null,
    groups: null,
    warning_threshold: null,
    creator,
  });

  const incidentJson = (i: FakeIncident) => ({
    type: 'incidents',
    id: i.id,
    attributes: {
      public_id: i.public_id,
      title: i.title,
      created: i.created,
      modified: i.modified,
      detected: i.created,
      resolved: i.state === 'resolved' || i.state === 'completed' ? i.modified : null,
      customer_impacted: i.customer_impacted,
      customer_impact_scope: i.customer_impact_scope,
      customer_impact_start: null,
      customer_impact_end: null,
      customer_impact_duration: 0,
      state: i.state,
      severity: i.severity,
      time_to_detect: 0,
      time_to_internal_response: 0,
      time_to_repair: 0,
      time_to_resolve: 0,
      fields: {
        state: { type: 'dropdown', value: i.state },
        severity: { type: 'dropdown', value: i.severity },
        root_cause: { type: 'textbox', value: null },
      },
      notification_handles: [],
    },
    relationships: {
      commander_user: { data: i.commander ? { type: 'users', id: i.commander } : null },
      created_by_user: { data: { type: 'users', id: commander.id } },
      attachments: { data: [] },
    },
  });

  const listMonitors = (q: URLSearchParams): FakeReply => {
    const name = q.get('name')?.toLowerCase();
    const split = (v: string | null) => (v ?? '').split(',').filter(Boolean);
    const scope = split(q.get('tags'));
    const own = split(q.get('monitor_tags'));
    const all = [...monitors.values()]
      .filter((m) => !name || m.name.toLowerCase().includes(name))
      .filter((m) => scope.every((t) => m.query.includes(t)))
      .filter((m) => own.every((t) => m.tags.includes(t)))
      .sort((a, b) => a.id - b.id);
    if (!q.has('page')) return reply(200, all.map(monitorJson));
    const page = int(q.get('page'), 0);
    const size = int(q.get('page_size'), 100);
    if (page === undefined || size === undefined || size < 1) {
      return errors(400, 'Invalid page or page_size parameter');
    }
    if (size > 1000) return errors(400, 'page_size must be less than or equal to 1000');
    return reply(200, all.slice(page * size, (page + 1) * size).map(monitorJson));
  };

  const mute = (m: FakeMonitor, q: URLSearchParams): FakeReply => {
    const end = q.get('end');
    if (end !== null) {
      if (!/^\d+$/.test(end)) return errors(400, 'Invalid end parameter');
      if (Number(end) * 1000 <= Date.now()) return errors(400, 'Mute end time must be in the future');
    }
    m.options.silenced[q.get('scope') ?? '*'] = end === null ? null : Number(end);
    m.modified = ddTime(Date.now());
    return reply(200, monitorJson(m));
  };

  const unmute = (m: FakeMonitor, q: URLSearchParams): FakeReply => {
    if (q.get('all_scopes') === 'true') m.options.silenced = {};
    else delete m.options.silenced[q.get('scope') ?? '*'];
    m.modified = ddTime(Date.now());
    return reply(200, monitorJson(m));
  };

  const listSlos = (q: URLSearchParams): FakeReply => {
    const limit = int(q.get('limit'), 1000);
    const offset = int(q.get('offset'), 0);
    if (limit === undefined || offset === undefined) return errors(400, 'Invalid limit or offset');
    const all = [...slos.values()];
    return reply(200, {
      data: all.slice(offset, offset + limit).map(sloJson),
      errors: [],
      metadata: { page: { total_count: all.length, total_filtered_count: all.length } },
    });
  };

  const listIncidents = (q: URLSearchParams): FakeReply => {
    const size = int(q.get('page[size]'), 10);
    const offset = int(q.get('page[offset]'), 0);
    if (size === undefined || offset === undefined || size < 1) return errors(400, 'Invalid page parameter');
    if (size > 100) return errors(400, 'page[size] must be less than or equal to 100');
    const page = [...incidents.values()]
      .sort((a, b) => a.public_id - b.public_id)
      .slice(offset, offset + size);
    const body: Record<string, unknown> = {
      data: page.map(incidentJson),
      meta: { pagination: { offset, next_offset: offset + size, size } },
    };
    if ((q.get('include') ?? '').split(',').includes('users')) {
      const ids = new Set(page.flatMap((i) => [i.commander, commander.id]).filter((x) => x !== null));
      body.included = [...ids].map((id) => {
        const u = users.get(id) as FakeUser;
        return {
          type: 'users',
          id,
          attributes: { handle: u.handle, email: u.handle, name: u.name, status: 'Active', disabled: false },
        };
      });
    }
    return reply(200, body);
  };

  /** The data endpoints; undefined for a path that is not one of them. */
  const handle = (req: FakeRequest, canWrite: boolean): FakeReply | undefined => {
    if (req.method === 'GET' && req.path === '/api/v1/monitor') return listMonitors(req.query);
    if (req.method === 'GET' && req.path === '/api/v1/slo') return listSlos(req.query);
    if (req.method === 'GET' && req.path === '/api/v2/incidents') return listIncidents(req.query);
    const muting = /^\/api\/v1\/monitor\/([^/]+)\/(mute|unmute)$/.exec(req.path);
    if (req.method === 'POST' && muting) {
      if (!canWrite) return errors(403, 'Failed permission authorization checks');
      const m = monitors.get(Number(muting[1]));
      if (!m || !/^\d+$/.test(muting[1] ?? '')) return errors(404, 'Monitor not found');
      return muting[2] === 'mute' ? mute(m, req.query) : unmute(m, req.query);
    }
    return undefined;
  };

  return {
    monitors,
    slos,
    incidents,
    commander,
    seedMonitors,
    seedSlos,
    seedIncidents,
    updateIncident,
    monitorJson,
    handle,
  };
};

export type DatadogOrg = ReturnType<typeof datadogOrg>;
