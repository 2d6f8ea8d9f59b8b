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
