import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type LinearFake, linearRefusal, startLinearFake } from '../../fakes/linear';
import { type ActionCall, runAction } from './action-helpers';
import { expectValid, fetchPage } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let linear: LinearFake;
let eng: string[];
let ops: string[];
let projects: string[];
let cycles: string[];

beforeAll(async () => {
  linear = await startLinearFake();
  eng = linear.seedIssues(60);
  ops = linear.seedIssues(15, { team: 'OPS' });
  projects = linear.seedProjects(30, { teams: ['ENG'] });
  linear.seedProjects(5, { teams: ['OPS'] });
  cycles = linear.seedCycles(12);
  linear.seedCycles(4, { team: 'OPS' });
});
afterAll(() => linear.stop());

const call = (): ActionCall => ({ credentials: linear.valid, baseUrl: linear.apiBaseUrl });
const act = (action: string, input: Record<string, unknown>) => runAction('linear', action, call(), input);
type Listed = { id: string } & Record<string, unknown>;

/** Every page of a list action, following next_cursor. */
const everything = async (action: string, field: string, input: Record<string, unknown>) => {
  const all: Listed[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const data = await act(action, { ...input, ...(cursor ? { cursor } : {}) });
    all.push(...(data[field] as Listed[]));
    cursor = data.next_cursor as string | null;
    pages++;
  } while (cursor !== null && pages < 100);
  return { all, pages };
};
const asRecords = (items: Listed[]) => items.map(({ id, ...data }) => ({ id, data }));
const sorted = (ids: string[]) => [...ids].sort();

describe('linear manifest', () => {
  it('declares every action with team_id as the field a workspace default fills, and only create_issue writes', async () => {
    const manifest = (await loadAdapter('linear'))?.manifest;
    expect(manifest?.actions.map((a) => [a.name, a.writes, a.projectField])).toEqual([
      ['list_issues', false, 'team_id'],
      ['create_issue', true, 'team_id'],
      ['list_projects', false, 'team_id'],
      ['list_cycles', false, 'team_id'],
    ]);
    expect(Object.keys((await loadAdapter('linear'))?.actions ?? {}).sort()).toEqual(
      ['create_issue', 'list_cycles', 'list_issues', 'list_projects'].sort(),
    );
  });

  it('refuses input outside the schemas', async () => {
    await expect(act('create_issue', { team_id: 'ENG', title: 'x', priority: 5 })).rejects.toThrow(
      /input refused/,
    );
    await expect(act('create_issue', { title: 'no team' })).rejects.toThrow(/input refused/);
    await expect(act('list_issues', { state_type: 'done' })).rejects.toThrow(/input refused/);
    await expect(act('list_projects', { limit: 251 })).rejects.toThrow(/input refused/);
  });
});

describe('linear list_issues', () => {
  it('pages through one team with cursor / next_cursor, each issue once, mapped as the sync maps it', async () => {
    const { all, pages } = await everything('list_issues', 'issues', { team_id: 'ENG', limit: 25 });
    expect(pages).toBe(3);
    expect(sorted(all.map((i) => i.id))).toEqual(sorted(eng.map((id) => `linear_issue_${id}`)));
    expectValid(asRecords(all), 'work_item');
    expect(linear.listArguments('issues').at(-1)).toMatchObject({
      first: 25,
      orderBy: 'createdAt',
      filter: { team: { key: { eq: 'ENG' } } },
    });
    const page = await fetchPage('linear', 'issues', { ...call(), config: { teams: ['ENG'] } });
    const synced = new Map(page.records.map((r) => [r.id, r.data]));
    for (const i of all.filter((x) => synced.has(x.id))) {
      const { id, ...data } = i;
      expect(data).toEqual(synced.get(id));
    }
  });

  it('takes a team id as well as a key; without a team, lists all, 50 a page by default', async () => {
    const team = linear.team('OPS');
    const byId = await act('list_issues', { team_id: team.id });
    expect(sorted((byId.issues as Listed[]).map((i) => i.id))).toEqual(
      sorted(ops.map((id) => `linear_issue_${id}`)),
    );
    expect(byId.next_cursor).toBeNull();
    expect(linear.listArguments('issues').at(-1)?.filter).toEqual({ team: { id: { eq: team.id } } });
    const first = await act('list_issues', {});
    expect((first.issues as Listed[]).length).toBe(50);
    expect(typeof first.next_cursor).toBe('string');
    expect(linear.listArguments('issues').at(-1)?.filter).toBeNull();
  });

  it('filters by workflow state type and assignee (me, email, id)', async () => {
    const started = await everything('list_issues', 'issues', { team_id: 'ENG', state_type: 'started' });
    expect(started.all.length).toBeGreaterThan(0);
    expect(started.all.every((i) => i.status === 'in_progress')).toBe(true);
    expect(linear.listArguments('issues').at(-1)?.filter).toEqual({
      team: { key: { eq: 'ENG' } },
      state: { type: { eq: 'started' } },
    });

    const ada = linear.users[0];
    const mine = await everything('list_issues', 'issues', { team_id: 'ENG', assignee: 'me' });
    expect(mine.all.length).toBeGreaterThan(0);
    expect(mine.all.every((i) => JSON.stringify(i.assignees) === JSON.stringify([ada?.name]))).toBe(true);
    expect(linear.listArguments('issues').at(-1)?.filter).toMatchObject({ assignee: { isMe: { eq: true } } });
    const byEmail = await everything('list_issues', 'issues', { team_id: 'ENG', assignee: ada?.email });
    expect(sorted(byEmail.all.map((i) => i.id))).toEqual(sorted(mine.all.map((i) => i.id)));
    const grace = linear.users[1];
    const hers = await everything('list_issues', 'issues', { assignee: grace?.id });
    expect(hers.all).toEqual([]);
    expect(linear.listArguments('issues').at(-1)?.filter).toEqual({ assignee: { id: { eq: grace?.id } } });
  });
});

describe('linear create_issue', () => {
  it('creates an issue in a team named by key, with labels, assignee and project; answers it mapped', async () => {
    const grace = linear.users[1];
    const projectId = projects[2] as string;
    const data = await act('create_issue', {
      team_id: 'OPS',
      title: 'Pager fires twice',
      description: 'Seen on **prod** only.',
      priority: 1,
      label_ids: [linear.labelId('Bug'), linear.labelId('On-call')],
      assignee_id: grace?.id,
      project_id: `linear_project_${projectId}`,
    });
    const issue = data.issue as Listed;
    const id = issue.id.replace('linear_issue_', '');
    const raw = linear.issue(id) as { url: string; createdAt: string; updatedAt: string; identifier: string };
    expect(raw.identifier).toBe(`OPS-${ops.length + 1}`);
    expect(issue).toEqual({
      id: `linear_issue_${id}`,
      title: 'Pager fires twice',
      description: 'Seen on **prod** only.',
      status: 'open',
      raw_status: 'Backlog',
      assignees: ['Grace Hopper'],
      labels: ['Bug', 'On-call'],
      url: raw.url,
      project: 'OPS',
      due_date: null,
      created_at: raw.createdAt,
      updated_at: raw.updatedAt,
    });
    expect(linear.createInputs().at(-1)).toEqual({
      teamId: linear.team('OPS').id,
      title: 'Pager fires twice',
      description: 'Seen on **prod** only.',
      priority: 1,
      labelIds: [linear.labelId('Bug'), linear.labelId('On-call')],
      assigneeId: grace?.id,
      projectId,
    });
    expect(linear.listArguments('teams').at(-1)?.filter).toEqual({ key: { eq: 'OPS' } });
    expect((linear.issue(id) as { project: { id: string } }).project.id).toBe(projectId);
    // The sync sees it too, as the action answered it.
    const listed = await act('list_issues', { team_id: 'OPS', limit: 1 });
    expect(listed.issues).toEqual([issue]);
  });

  it('takes a team id without looking it up; only what was given is sent', async () => {
    const teams = linear.listArguments('teams').length;
    const data = await act('create_issue', { team_id: linear.team('ENG').id, title: 'Bare' });
    expect((data.issue as Listed).description).toBeNull();
    expect(linear.listArguments('teams').length).toBe(teams);
    expect(linear.createInputs().at(-1)).toEqual({ teamId: linear.team('ENG').id, title: 'Bare' });
  });

  it("INVALID_INPUT (HTTP 200, data null) → rejected with Linear's user-presentable message", async () => {
    const before = linear.issueIds().length;
    await expectProviderError(
      act('create_issue', { team_id: 'ENG', title: 'x', project_id: '00000000-0000-4000-8000-000000000000' }),
      'rejected',
      { message: 'Could not find referenced Project.', status: 200 },
    );
    await expectProviderError(
      act('create_issue', { team_id: 'ENG', title: 'x', assignee_id: 'nobody' }),
      'rejected',
      { message: 'Could not find referenced User.', status: 200 },
    );
    expect(linear.issueIds().length).toBe(before);
  });

  it('a team key Linear does not know → rejected, nothing created', async () => {
    const before = linear.createInputs().length;
    await expectProviderError(act('create_issue', { team_id: 'NOPE', title: 'x' }), 'rejected', {
      message: /no team with the key NOPE/,
    });
    expect(linear.createInputs().length).toBe(before);
  });
});

describe('linear list_projects and list_cycles', () => {
  it('list_projects pages through a team, mapped as project records', async () => {
    const { all, pages } = await everything('list_projects', 'projects', { team_id: 'ENG', limit: 20 });
    expect(pages).toBe(2);
    expect(sorted(all.map((p) => p.id))).toEqual(sorted(projects.map((id) => `linear_project_${id}`)));
    expectValid(asRecords(all), 'project');
    expect(all.every((p) => p.kind === 'project' && p.parent === 'ENG')).toBe(true);
    expect(linear.listArguments('projects').at(-1)).toMatchObject({
      first: 20,
      filter: { accessibleTeams: { some: { key: { eq: 'ENG' } } } },
    });
    const everyTeam = await act('list_projects', {});
    expect((everyTeam.projects as Listed[]).length).toBe(35);
    expect(everyTeam.next_cursor).toBeNull();
  });

  it('list_cycles of a team, with their status by the clock', async () => {
    const team = linear.team('ENG');
    const { all } = await everything('list_cycles', 'cycles', { team_id: team.id, limit: 5 });
    expect(sorted(all.map((c) => c.id))).toEqual(sorted(cycles.map((id) => `linear_cycle_${id}`)));
    expectValid(asRecords(all), 'project');
    const byId = new Map(all.map((c) => [c.id, c]));
    expect(byId.get(`linear_cycle_${cycles.at(-1)}`)?.status).toBe('planned');
    expect(byId.get(`linear_cycle_${cycles.at(-2)}`)?.status).toBe('active');
    expect(byId.get(`linear_cycle_${cycles[0]}`)?.status).toBe('completed');
    expect(linear.listArguments('cycles').at(-1)?.filter).toEqual({ team: { id: { eq: team.id } } });
  });
});

describe('linear actions: refusals, rate limits and outages', () => {
  it.each([
    ['list_issues', {}],
    ['list_projects', {}],
    ['list_cycles', {}],
    ['create_issue', { team_id: '7e4a0000-0000-4000-8000-000000000001', title: 'x' }],
  ])("%s: FORBIDDEN (HTTP 400) → rejected with Linear's message", async (action, input) => {
    linear.refuseNext();
    await expectProviderError(act(action, input), 'rejected', {
      message: linearRefusal,
      status: 400,
      secrets: secretsOf(linear.valid),
    });
  });

  it.each([
    ['list_issues', {}],
    ['create_issue', { team_id: 'ENG', title: 'x' }],
  ])('%s: RATELIMITED (HTTP 400) → rate_limited until the reset', async (action, input) => {
    linear.rateLimitNext(1, 75);
    const e = await expectProviderError(act(action, input), 'rate_limited', {
      status: 400,
      message: 'Rate limit exceeded',
    });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(74);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(75);
  });

  it.each([
    ['list_cycles', {}],
    ['create_issue', { team_id: 'ENG', title: 'x' }],
  ])('%s: 5xx → unreachable', async (action, input) => {
    const before = linear.createInputs().length;
    linear.failNext(1, 502);
    await expectProviderError(act(action, input), 'unreachable', { status: 502 });
    expect(linear.createInputs().length).toBe(before);
  });

  it('faultNext drives the same three answers', async () => {
    linear.faultNext('refuse');
    await expectProviderError(act('list_projects', {}), 'rejected', { message: linearRefusal });
    linear.faultNext('down');
    await expectProviderError(act('list_projects', {}), 'unreachable', { status: 503 });
    linear.faultNext('rate_limit', 12);
    const e = await expectProviderError(act('list_projects', {}), 'rate_limited');
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(11);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(12);
    expect((await act('list_projects', {})).projects).toHaveLength(35);
  });
});
