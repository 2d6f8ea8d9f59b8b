import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../adapters';
import { type JiraFake, startJiraFake } from '../../fakes/jira';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

/** A sprint as the Agile API answers it, as far as the mapping reads it. */
type RawSprint = {
  id: number;
  name: string;
  state: string;
  goal: string;
  startDate?: string;
  endDate?: string;
  completeDate?: string;
  createdDate: string;
  originBoardId: number;
};

let jira: JiraFake;
let team: { board: number; sprints: number[] };
let ops: { board: number; sprints: number[] };
let boards: number[];

/**
 * Board 1 "Team board": 60 sprints (two pages of 50); a kanban board (no sprints: never
 * asked); "Ops board" on OPS: 4 sprints, one of them also shown on the Team board (counted
 * once, under Ops); 52 more scrum boards with one sprint each, so the boards take two pages.
 */
beforeAll(async () => {
  jira = await startJiraFake();
  const teamBoard = jira.createBoard('Team board');
  team = { board: teamBoard, sprints: jira.seedSprints(teamBoard, 60) };
  jira.createBoard('Support kanban', { type: 'kanban' });
  const opsBoard = jira.createBoard('Ops board', { project: 'OPS' });
  ops = { board: opsBoard, sprints: jira.seedSprints(opsBoard, 4) };
  jira.showSprintOn(ops.sprints[0] as number, teamBoard);
  boards = [];
  for (let i = 0; i < 52; i++) {
    const b = jira.createBoard(`Squad ${i + 1}`);
    boards.push(...jira.seedSprints(b, 1, { state: 'active' }));
  }
});
afterAll(() => jira.stop());

const basic = (): SyncCall => ({
  credentials: jira.valid,
  baseUrl: jira.apiBaseUrl,
  metadata: { site: jira.site },
});
const sprintsOf = (call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('jira', 'sprints', { ...basic(), ...call }, o);
const recordIds = (ids: number[]) => ids.map((id) => `jira_sprint_${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const allIds = () => recordIds([...team.sprints, ...ops.sprints, ...boards]);

describe('jira sprints: a full run', () => {
  it("reads every board's own sprints exactly once, 50 a page; kanban boards and shared sprints skipped", async () => {
    const before = jira.requests.length;
    const run = await sprintsOf();
    expectValid(run.records, 'project');
    expect(idsOf(run.records)).toEqual(allIds());
    const asked = jira.requests.slice(before).map((r) => r.path);
    // Boards: two pages (55 boards); sprints: Team 2 pages, Ops 1, 52 squads 1 each; kanban none.
    expect(asked.filter((p) => p === '/rest/agile/1.0/board')).toHaveLength(2);
    expect(asked.filter((p) => p.endsWith('/sprint'))).toHaveLength(2 + 1 + 52);
    expect(asked).not.toContain('/rest/agile/1.0/board/2/sprint');
    expect(run.pages).toBe(2 + 1 + 52);
    const shared = byId(run.records).get(`jira_sprint_${ops.sprints[0]}`);
    expect(shared?.parent).toBe('Ops board');
  });

  it('maps each sprint: future/active/closed → planned/active/completed, parent = board name', async () => {
    const run = await sprintsOf();
    const data = byId(run.records);
    const seen = new Set<string>();
    for (const id of [...team.sprints, ...ops.sprints]) {
      const raw = jira.sprint(id) as RawSprint;
      const status = { future: 'planned', active: 'active', closed: 'completed' }[raw.state];
      seen.add(raw.state);
      expect(data.get(`jira_sprint_${id}`)).toEqual({
        name: raw.name,
        kind: 'sprint',
        key: null,
        description: raw.goal === '' ? null : raw.goal,
        status,
        raw_status: raw.state,
        url: null,
        parent: jira.boardName(raw.originBoardId),
        starts_at: raw.startDate ?? null,
        ends_at: raw.completeDate ?? raw.endDate ?? null,
        created_at: raw.createdDate,
        updated_at: null,
      });
    }
    expect([...seen].sort()).toEqual(['active', 'closed', 'future']);
  });

  it('goes through the gateway with the cloud id for OAuth connections', async () => {
    const run = await sprintsOf({
      credentials: jira.oauth,
      baseUrl: jira.oauthBaseUrl,
      metadata: { cloud_id: jira.cloudId, site: jira.site },
    });
    expect(idsOf(run.records)).toEqual(allIds());
    expect(jira.requests.at(-1)?.path).toMatch(
      new RegExp(`^/ex/jira/${jira.cloudId}/rest/agile/1\\.0/board/`),
    );
  });

  it('resumes after any page, from the checkpoint as stored, each sprint once', async () => {
    const all = await sprintsOf();
    for (const k of [1, 2, 3, 50, all.pages - 1]) {
      const first = await sprintsOf({}, { maxPages: k });
      const rest = await sprintsOf({ checkpoint: first.checkpoints.at(-1) });
      expect(first.pages + rest.pages).toBe(all.pages);
      const union = [...first.records, ...rest.records];
      expect(idsOf(union)).toEqual(idsOf(all.records));
      expect(new Set(union.map((r) => r.id)).size).toBe(union.length);
    }
  });

  it('starts over from an unreadable checkpoint', async () => {
    const page = await fetchPage('jira', 'sprints', { ...basic(), checkpoint: { boards: 'nope' } });
    const first = await fetchPage('jira', 'sprints', basic());
    expect(idsOf(page.records)).toEqual(idsOf(first.records));
  });
});

describe('jira sprints: refusals, rate limits and outages', () => {
  it('429 → rate_limited for Retry-After; 503 → unreachable; 403 → rejected with Jira’s reason', async () => {
    jira.failNext('rate_limit', 45, { path: /\/rest\/agile\/1\.0\/board$/ });
    const limited = await expectProviderError(fetchPage('jira', 'sprints', basic()), 'rate_limited', {
      status: 429,
    });
    expect(limited.retryAfterSeconds).toBe(45);
    jira.failNext('down', undefined, { path: /\/sprint$/ });
    await expectProviderError(fetchPage('jira', 'sprints', basic()), 'unreachable', { status: 503 });
    jira.failNext('refuse', undefined, { path: /\/rest\/agile\/1\.0\/board$/ });
    await expectProviderError(fetchPage('jira', 'sprints', basic()), 'rejected', {
      status: 403,
      message: jira.refusalMessage,
    });
  });

  it('a wrong API token → rejected, without echoing it', async () => {
    const credentials = {
      type: 'basic' as const,
      username: 'mk@acme.example',
      password: 'wrong-token-123456',
    };
    await expectProviderError(fetchPage('jira', 'sprints', { ...basic(), credentials }), 'rejected', {
      status: 401,
      secrets: secretsOf(credentials),
    });
  });
});
