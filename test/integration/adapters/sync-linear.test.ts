import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, SyncRecord } from '../../../adapters';
import { type LinearFake, startLinearFake } from '../../fakes/linear';
import { randomToken } from '../../fakes/server';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let linear: LinearFake;
let eng: string[];
let ops: string[];

beforeAll(async () => {
  linear = await startLinearFake();
  eng = linear.seedIssues(230);
  ops = linear.seedIssues(40, { team: 'OPS' });
});
afterAll(() => linear.stop());

const base = (): SyncCall => ({ credentials: linear.valid, baseUrl: linear.apiBaseUrl });
const issues = (call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('linear', 'issues', { ...base(), ...call }, o);
const recordIds = (ids: string[]) => ids.map((id) => `linear_issue_${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const maxUpdated = (records: SyncRecord[]) =>
  records
    .map((r) => String(r.data.updated_at))
    .sort()
    .at(-1) ?? '';

type RawIssue = {
  title: string;
  description: string | null;
  url: string;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  state: { name: string; type: string };
  assignee: { name: string } | null;
  labels: { nodes: { name: string }[] };
  team: { key: string };
};

describe('linear issues: a full run', () => {
  it('reads every issue of every team exactly once, 100 a page', async () => {
    const run = await issues();
    expectValid(run.records, 'work_item');
    expect(idsOf(run.records)).toEqual(recordIds([...eng, ...ops]));
    expect(run.pages).toBe(3);
    expect(run.deletedIds).toEqual([]);
    expect(linear.issuesArguments().at(-1)).toMatchObject({ first: 100, orderBy: 'createdAt' });
  });

  it('maps each issue from what Linear answers for it', async () => {
    const run = await issues();
    const statuses = new Set<string>();
    const status: Record<string, string> = {
      triage: 'open',
      backlog: 'open',
      unstarted: 'open',
      started: 'in_progress',
      completed: 'done',
      canceled: 'cancelled',
    };
    for (const r of run.records) {
      const raw = linear.issue(r.id.replace('linear_issue_', '')) as RawIssue;
      statuses.add(String(status[raw.state.type]));
      expect(r.data).toEqual({
        title: raw.title,
        description: raw.description,
        status: status[raw.state.type],
        raw_status: raw.state.name,
        assignees: raw.assignee ? [raw.assignee.name] : [],
        labels: raw.labels.nodes.map((l) => l.name),
        url: raw.url,
        project: raw.team.key,
        due_date: raw.dueDate,
        created_at: raw.createdAt,
        updated_at: raw.updatedAt,
      });
    }
    expect([...statuses].sort()).toEqual(['cancelled', 'done', 'in_progress', 'open']);
  });

  it('maps one issue exactly', async () => {
    const id = ops[2] as string;
    linear.updateIssue(id, {
      title: 'Pager fires twice',
      description: 'Seen on **prod** only.',
      state: { name: 'Won’t fix', type: 'canceled' },
      assignee: 'Grace Hopper',
      labels: ['Bug', 'On-call'],
      dueDate: '2025-12-01',
    });
    const raw = linear.issue(id) as RawIssue;
    const run = await issues({ config: { teams: ['OPS'] } });
    expect(byId(run.records).get(`linear_issue_${id}`)).toEqual({
      title: 'Pager fires twice',
      description: 'Seen on **prod** only.',
      status: 'cancelled',
      raw_status: 'Won’t fix',
      assignees: ['Grace Hopper'],
      labels: ['Bug', 'On-call'],
      url: raw.url,
      project: 'OPS',
      due_date: '2025-12-01',
      created_at: raw.createdAt,
      updated_at: raw.updatedAt,
    });
    expect(raw.url).toMatch(/^https:\/\/linear\.app\/acme\/issue\/OPS-3\//);
  });

  it('narrows to config.teams (keys)', async () => {
    const run = await issues({ config: { teams: ['OPS'] } });
    expect(idsOf(run.records)).toEqual(recordIds(ops));
    expect(linear.issuesArguments().at(-1)?.filter).toEqual({ team: { key: { in: ['OPS'] } } });
  });

  it('takes OAuth tokens as Bearer', async () => {
    const before = linear.requests.length;
    const run = await issues({ credentials: linear.oauth });
    expect(run.records.length).toBe(270);
    expect(linear.requests[before]?.headers.authorization).toMatch(/^Bearer lin_oauth_/);
  });

  it('rejects a wrong API key, without echoing it', async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `lin_api_${randomToken(40)}` };
    await expectProviderError(fetchPage('linear', 'issues', { ...base(), credentials: wrong }), 'rejected', {
      message: 'You need to authenticate to access this operation.',
      status: 400,
      secrets: secretsOf(wrong),
    });
  });
});

describe('linear issues: incremental and resumed runs', () => {
  it('since: only issues changed or created at or after it; deleted ones as deletedIds', async () => {
    const full = await issues();
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();
    const changed = [eng[0], eng[150], ops[39]] as string[];
    for (const id of changed) linear.updateIssue(id, { title: `changed ${id}` });
    const deleted = eng[1] as string;
    linear.deleteIssue(deleted);
    const archived = eng[2] as string;
    linear.archiveIssue(archived);
    const added = linear.seedIssues(2, { team: 'OPS' });

    const inc = await issues({ since, mode: 'incremental' });
    expectValid(inc.records, 'work_item');
    // Archived (Linear's own housekeeping) is still a work item; trashed is deleted.
    expect(idsOf(inc.records)).toEqual(recordIds([...changed, archived, ...added]));
    expect(inc.deletedIds).toEqual([`linear_issue_${deleted}`]);
    expect(byId(inc.records).get(`linear_issue_${changed[0]}`)?.title).toBe(`changed ${changed[0]}`);
    expect(linear.issuesArguments().at(-1)).toMatchObject({
      filter: { updatedAt: { gte: since } },
      includeArchived: true,
    });

    // A full run still reads the archived one, and not the deleted one.
    const again = await issues();
    expect(idsOf(again.records)).toContain(`linear_issue_${archived}`);
    expect(idsOf(again.records)).not.toContain(`linear_issue_${deleted}`);
    expect(again.deletedIds).toEqual([`linear_issue_${deleted}`]);
  });

  it('resumes from a stored checkpoint, each issue once', async () => {
    const all = await issues();
    for (let k = 1; k < all.pages; k++) {
      const first = await issues({}, { maxPages: k });
      const rest = await issues({ checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });

  it('issues edited or created mid-run make no other issue go missing', async () => {
    const all = await issues();
    const first = await issues({}, { maxPages: 1 });
    linear.updateIssue(eng[10] as string, { title: 'edited while syncing' });
    linear.updateIssue(eng[200] as string, { title: 'edited while syncing too' });
    linear.seedIssues(1);
    const rest = await issues({ checkpoint: first.checkpoints.at(-1) });
    const seen = idsOf([...first.records, ...rest.records]);
    for (const id of idsOf(all.records)) expect(seen).toContain(id);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('linear issues: rate limits and outages', () => {
  it('RATELIMITED (HTTP 400) → rate_limited until X-RateLimit-Requests-Reset; the checkpoint then goes on', async () => {
    const first = await issues({}, { maxPages: 1 });
    const checkpoint = first.checkpoints.at(-1);
    linear.rateLimitNext(1, 90);
    const e = await expectProviderError(
      fetchPage('linear', 'issues', { ...base(), checkpoint }),
      'rate_limited',
      { status: 400, message: 'Rate limit exceeded', secrets: secretsOf(linear.valid) },
    );
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(89);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(90);
    const page = await fetchPage('linear', 'issues', { ...base(), checkpoint });
    expect(page.records.length).toBe(100);
  });

  it('5xx → unreachable, counted as a list call', async () => {
    const calls = linear.listCalls();
    linear.failNext(1, 502);
    await expectProviderError(fetchPage('linear', 'issues', base()), 'unreachable', { status: 502 });
    expect(linear.listCalls() - calls).toBe(1);
    expect((await fetchPage('linear', 'issues', base())).records.length).toBe(100);
  });
});

type RawProject = {
  name: string;
  description: string;
  slugId: string;
  url: string;
  startDate: string | null;
  targetDate: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  status: { name: string; type: string };
  teams: { nodes: { key: string }[] };
};

const projectStatus: Record<string, string> = {
  backlog: 'planned',
  planned: 'planned',
  started: 'active',
  paused: 'active',
  completed: 'completed',
  canceled: 'cancelled',
};

describe('linear projects', () => {
  let plan: LinearFake;
  let engProjects: string[];
  let shared: string[];
  beforeAll(async () => {
    plan = await startLinearFake();
    engProjects = plan.seedProjects(80);
    shared = plan.seedProjects(40, { teams: ['ENG', 'OPS'] });
  });
  afterAll(() => plan.stop());

  const run = (call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
    runSync('linear', 'projects', { credentials: plan.valid, baseUrl: plan.apiBaseUrl, ...call }, o);
  const projectIds = (ids: string[]) => ids.map((id) => `linear_project_${id}`).sort();

  it('a full run reads every project exactly once, 50 a page, archived ones included', async () => {
    const all = await run();
    expectValid(all.records, 'project');
    expect(idsOf(all.records)).toEqual(projectIds([...engProjects, ...shared]));
    expect(all.pages).toBe(3);
    expect(all.deletedIds).toEqual([]);
    expect(plan.listArguments('projects').at(-1)).toMatchObject({
      first: 50,
      orderBy: 'createdAt',
      includeArchived: true,
    });
  });

  it('maps each project from what Linear answers for it', async () => {
    const all = await run();
    const seen = new Set<string>();
    for (const r of all.records) {
      const raw = plan.project(r.id.replace('linear_project_', '')) as RawProject;
      seen.add(String(r.data.status));
      expect(r.data).toEqual({
        name: raw.name,
        kind: 'project',
        key: raw.slugId,
        description: raw.description === '' ? null : raw.description,
        status: projectStatus[raw.status.type],
        raw_status: raw.status.name,
        url: raw.url,
        parent: raw.teams.nodes.map((t) => t.key).join(','),
        starts_at: raw.startDate,
        ends_at: raw.targetDate,
        created_at: raw.createdAt,
        updated_at: raw.updatedAt,
      });
    }
    expect([...seen].sort()).toEqual(['active', 'cancelled', 'completed', 'planned']);
  });

  it('maps one project exactly: a named paused status, two teams, no description', async () => {
    const id = shared[3] as string;
    plan.updateProject(id, {
      name: 'Checkout v2',
      description: '',
      status: { name: 'On hold', type: 'paused' },
      startDate: '2025-09-01',
      targetDate: '2025-12-19',
    });
    const raw = plan.project(id) as RawProject;
    const all = await run({ config: { teams: ['OPS'] } });
    expect(byId(all.records).get(`linear_project_${id}`)).toEqual({
      name: 'Checkout v2',
      kind: 'project',
      key: raw.slugId,
      description: null,
      status: 'active',
      raw_status: 'On hold',
      url: raw.url,
      parent: 'ENG,OPS',
      starts_at: '2025-09-01',
      ends_at: '2025-12-19',
      created_at: raw.createdAt,
      updated_at: raw.updatedAt,
    });
    expect(raw.url).toMatch(/^https:\/\/linear\.app\/acme\/project\//);
  });

  it('narrows to config.teams (keys) through the teams a project belongs to', async () => {
    const all = await run({ config: { teams: ['OPS'] } });
    expect(idsOf(all.records)).toEqual(projectIds(shared));
    expect(plan.listArguments('projects').at(-1)?.filter).toEqual({
      accessibleTeams: { some: { key: { in: ['OPS'] } } },
    });
  });

  it('since: changed, archived and added projects; deleted ones as deletedIds', async () => {
    const full = await run();
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();
    const changed = [engProjects[0], shared[20]] as string[];
    for (const id of changed) plan.updateProject(id, { status: 'completed' });
    const archived = engProjects[5] as string;
    plan.archiveProject(archived);
    const deleted = engProjects[6] as string;
    plan.deleteProject(deleted);
    const added = plan.seedProjects(2);

    const inc = await run({ since, mode: 'incremental' });
    expectValid(inc.records, 'project');
    expect(idsOf(inc.records)).toEqual(projectIds([...changed, archived, ...added]));
    expect(inc.deletedIds).toEqual([`linear_project_${deleted}`]);
    const got = byId(inc.records);
    expect(got.get(`linear_project_${changed[0]}`)?.status).toBe('completed');
    expect(got.get(`linear_project_${archived}`)?.status).toBe('archived');
    expect(plan.listArguments('projects').at(-1)).toMatchObject({
      filter: { updatedAt: { gte: since } },
      includeArchived: true,
    });

    const again = await run();
    expect(idsOf(again.records)).toContain(`linear_project_${archived}`);
    expect(idsOf(again.records)).not.toContain(`linear_project_${deleted}`);
  });

  it('resumes from a stored checkpoint, each project once', async () => {
    const all = await run();
    const first = await run({}, { maxPages: 1 });
    plan.updateProject(engProjects[1] as string, { name: 'edited while syncing' });
    const rest = await run({ checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
  });

  it('RATELIMITED → rate_limited with the reset; 5xx → unreachable', async () => {
    plan.rateLimitNext(1, 120);
    const e = await expectProviderError(
      fetchPage('linear', 'projects', { credentials: plan.valid, baseUrl: plan.apiBaseUrl }),
      'rate_limited',
      {
        status: 400,
      },
    );
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(119);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(120);
    plan.failNext(1, 503);
    await expectProviderError(
      fetchPage('linear', 'projects', { credentials: plan.valid, baseUrl: plan.apiBaseUrl }),
      'unreachable',
      { status: 503 },
    );
    expect(
      (await fetchPage('linear', 'projects', { credentials: plan.valid, baseUrl: plan.apiBaseUrl })).records
        .length,
    ).toBe(50);
  });
});

type RawCycle = {
  number: number;
  name: string | null;
  startsAt: string;
  endsAt: string;
  completedAt: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  team: { key: string };
};

describe('linear cycles', () => {
  let sprints: LinearFake;
  let eng: string[];
  let ops: string[];
  beforeAll(async () => {
    sprints = await startLinearFake();
    eng = sprints.seedCycles(40);
    ops = sprints.seedCycles(30, { team: 'OPS', days: 7 });
  });
  afterAll(() => sprints.stop());

  const call = (): SyncCall => ({ credentials: sprints.valid, baseUrl: sprints.apiBaseUrl });
  const run = (over: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
    runSync('linear', 'cycles', { ...call(), ...over }, o);
  const cycleIds = (ids: string[]) => ids.map((id) => `linear_cycle_${id}`).sort();
  const statusOf = (records: SyncRecord[], id: string) => byId(records).get(`linear_cycle_${id}`)?.status;

  it('a full run reads every cycle of every team exactly once, 50 a page', async () => {
    const all = await run();
    expectValid(all.records, 'project');
    expect(idsOf(all.records)).toEqual(cycleIds([...eng, ...ops]));
    expect(all.pages).toBe(2);
    expect(all.deletedIds).toEqual([]);
    expect(sprints.listArguments('cycles').at(-1)).toMatchObject({
      first: 50,
      orderBy: 'createdAt',
      includeArchived: true,
    });
  });

  it('maps each cycle: past ones completed, the current one active, the next one planned', async () => {
    const all = await run();
    for (const [ids, key] of [
      [eng, 'ENG'],
      [ops, 'OPS'],
    ] as const) {
      const statuses = ids.map((id) => statusOf(all.records, id));
      expect(statuses.slice(0, -2).every((s) => s === 'completed')).toBe(true);
      expect(statuses.slice(-2)).toEqual(['active', 'planned']);
      for (const id of ids) {
        const raw = sprints.cycle(id) as RawCycle;
        expect(byId(all.records).get(`linear_cycle_${id}`)).toEqual({
          name: raw.name ?? `Cycle ${raw.number}`,
          kind: 'cycle',
          key: String(raw.number),
          description: null,
          status: statusOf(all.records, id),
          raw_status: null,
          url: null,
          parent: key,
          starts_at: raw.startsAt,
          ends_at: raw.endsAt,
          created_at: raw.createdAt,
          updated_at: raw.updatedAt,
        });
      }
    }
    const named = all.records.filter((r) => String(r.data.name).startsWith('Sprint '));
    expect(named.length).toBeGreaterThan(0);
    expect((sprints.cycle(ops[0] as string) as RawCycle).number).toBe(1);
  });

  it('completed when Linear closed it early, completed when its window is over, archived when archived', async () => {
    const current = eng.at(-2) as string;
    sprints.updateCycle(current, { completedAt: new Date().toISOString() });
    const past = ops[0] as string;
    sprints.updateCycle(past, { completedAt: null });
    const old = ops[1] as string;
    sprints.archiveCycle(old);
    const all = await run({ config: { teams: ['ENG', 'OPS'] } });
    expect(statusOf(all.records, current)).toBe('completed');
    expect(statusOf(all.records, past)).toBe('completed');
    expect(statusOf(all.records, old)).toBe('archived');
    expect(sprints.listArguments('cycles').at(-1)?.filter).toEqual({ team: { key: { in: ['ENG', 'OPS'] } } });
  });

  it('since: cycles edited, and cycles that started or ended since without an edit', async () => {
    // A fake of its own, whose timestamps have not run ahead of the clock: `since` is now.
    const fresh = await startLinearFake();
    try {
      const ids = fresh.seedCycles(4);
      const own = { credentials: fresh.valid, baseUrl: fresh.apiBaseUrl };
      const full = await runSync('linear', 'cycles', own);
      const last = Date.parse(maxUpdated(full.records));
      const since = new Date(last + 1).toISOString();
      while (Date.now() <= last + 1) await new Promise((r) => setTimeout(r, 5));
      const [renamed, , ending, starting] = ids as [string, string, string, string];
      fresh.updateCycle(renamed, { name: 'Hardening' });
      // Time moves the team along: the current cycle ends and the next one starts, now.
      const endsAt = (fresh.cycle(starting) as RawCycle).endsAt;
      fresh.updateCycle(ending, { endsAt: since }, { touch: false });
      fresh.updateCycle(starting, { startsAt: since, endsAt }, { touch: false });

      const inc = await runSync('linear', 'cycles', { ...own, since, mode: 'incremental' });
      expectValid(inc.records, 'project');
      expect(idsOf(inc.records)).toEqual(cycleIds([renamed, ending, starting]));
      expect(statusOf(inc.records, ending)).toBe('completed');
      expect(statusOf(inc.records, starting)).toBe('active');
      expect(byId(inc.records).get(`linear_cycle_${renamed}`)?.name).toBe('Hardening');
      const filter = fresh.listArguments('cycles').at(-1)?.filter as {
        or: Record<string, { gte: string; lte?: string }>[];
      };
      expect(filter.or).toHaveLength(3);
      expect(filter.or[0]).toEqual({ updatedAt: { gte: since } });
      expect(filter.or[1]?.startsAt?.gte).toBe(since);
      expect(filter.or[2]?.endsAt?.gte).toBe(since);
      expect(Date.parse(filter.or[1]?.startsAt?.lte ?? '')).toBeGreaterThanOrEqual(Date.parse(since));
    } finally {
      await fresh.stop();
    }
  });

  it('resumes from a stored checkpoint, each cycle once', async () => {
    const all = await run();
    const first = await run({}, { maxPages: 1 });
    const rest = await run({ checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
  });

  it('RATELIMITED → rate_limited; 5xx → unreachable', async () => {
    sprints.rateLimitNext(1, 30);
    const e = await expectProviderError(fetchPage('linear', 'cycles', call()), 'rate_limited', {
      status: 400,
    });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(29);
    sprints.failNext(1, 500);
    await expectProviderError(fetchPage('linear', 'cycles', call()), 'unreachable', { status: 500 });
    expect((await fetchPage('linear', 'cycles', call())).records.length).toBe(50);
  });
});
