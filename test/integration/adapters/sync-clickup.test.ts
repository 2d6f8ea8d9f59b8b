import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials, SyncRecord } from '../../../adapters';
import { type ClickUpFake, startClickUpFake } from '../../fakes/clickup';
import { members } from '../../fakes/clickup-workspace';
import { randomToken } from '../../fakes/server';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let cu: ClickUpFake;
let backlog: string[];
let incidents: string[];
let ideas: string[];
let hidden: string[];

beforeAll(async () => {
  cu = await startClickUpFake();
  backlog = cu.seedTasks(230);
  incidents = cu.seedTasks(30, { list: 'Incidents' });
  ideas = cu.seedTasks(12, { list: 'Ideas' });
  // Tasks of archived lists (and of lists in archived Folders) are not in the task search.
  hidden = [...cu.seedTasks(3, { list: 'Sprint 11' }), ...cu.seedTasks(2, { list: 'Roadmap items' })];
});
afterAll(() => cu.stop());

const base = (): SyncCall => ({ credentials: cu.valid, baseUrl: cu.apiBaseUrl });
const tasks = (call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('clickup', 'tasks', { ...base(), ...call }, o);
const lists = (call: Partial<SyncCall> = {}) => runSync('clickup', 'lists', { ...base(), ...call });
const recordIds = (ids: string[]) => ids.map((id) => `clickup_task_${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));
const maxUpdated = (records: SyncRecord[]) =>
  records
    .map((r) => String(r.data.updated_at))
    .sort()
    .at(-1) ?? '';

type RawTask = {
  name: string;
  text_content: string;
  status: { status: string; type: string };
  assignees: { username: string | null; email: string }[];
  tags: { name: string }[];
  due_date: string | null;
  url: string;
  list: { name: string };
  date_created: string;
  date_updated: string;
};
const raw = (id: string) => cu.task(id) as RawTask;
const iso = (ms: string) => new Date(Number(ms)).toISOString();

describe('clickup tasks: a full run', () => {
  it('reads every searchable task of every Workspace exactly once, 100 a page', async () => {
    const run = await tasks();
    expectValid(run.records, 'work_item');
    expect(idsOf(run.records)).toEqual(recordIds([...backlog, ...incidents, ...ideas]));
    expect(idsOf(run.records)).toEqual(recordIds(cu.searchableTaskIds()));
    for (const id of hidden) expect(byId(run.records).has(`clickup_task_${id}`)).toBe(false);
    // Acme: 260 tasks on 3 pages; Side Project: 12 on 1.
    expect(run.pages).toBe(4);
    expect(run.deletedIds).toEqual([]);
    const q = cu.taskQueries().at(-1);
    expect(Object.fromEntries(q ?? [])).toEqual({
      page: '0',
      order_by: 'created',
      reverse: 'false',
      include_closed: 'true',
      subtasks: 'true',
    });
  });

  it('maps each task from what ClickUp answers for it', async () => {
    const run = await tasks();
    const status: Record<string, string> = {
      'to do': 'open',
      'in progress': 'in_progress',
      'in review': 'in_progress',
      complete: 'done',
      cancelled: 'cancelled',
      closed: 'done',
      open: 'open',
      investigating: 'in_progress',
      "won't fix": 'cancelled',
      resolved: 'done',
    };
    const seen = new Set<string>();
    for (const r of run.records) {
      const t = raw(r.id.replace('clickup_task_', ''));
      seen.add(t.status.status);
      expect(r.data).toEqual({
        title: t.name,
        description: t.text_content || null,
        status: status[t.status.status],
        raw_status: t.status.status,
        assignees: t.assignees.map((a) => a.username ?? a.email),
        labels: t.tags.map((x) => x.name),
        url: t.url,
        project: t.list.name,
        due_date: t.due_date ? iso(t.due_date).slice(0, 10) : null,
        created_at: iso(t.date_created),
        updated_at: iso(t.date_updated),
      });
    }
    expect([...seen].sort()).toEqual(Object.keys(status).sort());
  });

  it('maps one task exactly: guest assignee by email, tags, due day, cancelled by name', async () => {
    const id = incidents[3] as string;
    cu.updateTask(id, {
      name: 'Pager fires twice',
      description: 'Seen on prod only.',
      status: "won't fix",
      assignees: [members.ada.id, members.guest.id],
      tags: ['on-call', 'noise'],
      dueDate: Date.UTC(2025, 11, 1, 4),
    });
    const t = raw(id);
    const run = await tasks({ config: { team_id: cu.teams.acme } });
    expect(byId(run.records).get(`clickup_task_${id}`)).toEqual({
      title: 'Pager fires twice',
      description: 'Seen on prod only.',
      status: 'cancelled',
      raw_status: "won't fix",
      assignees: ['Ada Lovelace', 'guest@partner.io'],
      labels: ['on-call', 'noise'],
      url: `https://app.clickup.com/t/${id}`,
      project: 'Incidents',
      due_date: '2025-12-01',
      created_at: iso(t.date_created),
      updated_at: iso(t.date_updated),
    });
    expect(t.date_updated).not.toBe(t.date_created);
  });

  it('narrows to config.team_id', async () => {
    const before = cu.requests.length;
    const run = await tasks({ config: { team_id: cu.teams.side } });
    expect(idsOf(run.records)).toEqual(recordIds(ideas));
    expect(run.pages).toBe(1);
    // No Workspace listing when the connection names one.
    expect(cu.requests.slice(before).map((r) => r.path)).toEqual([`/api/v2/team/${cu.teams.side}/task`]);
  });

  it('takes OAuth tokens, sent bare like personal ones', async () => {
    const before = cu.requests.length;
    const run = await tasks({ credentials: cu.oauth });
    expect(run.records.length).toBe(cu.searchableTaskIds().length);
    expect(cu.requests[before]?.headers.authorization).toBe(secretsOf(cu.oauth)[0]);
  });

  it("rejects a wrong token with ClickUp's err, without echoing it", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: `pk_81942317_${randomToken(32).toUpperCase()}` };
    await expectProviderError(fetchPage('clickup', 'tasks', { ...base(), credentials: wrong }), 'rejected', {
      message: 'Token invalid',
      status: 401,
      secrets: secretsOf(wrong),
    });
  });

  it("rejects a Workspace the token cannot see with ClickUp's err", async () => {
    await expectProviderError(
      fetchPage('clickup', 'tasks', { ...base(), config: { team_id: '1234567' } }),
      'rejected',
      { message: 'Team not authorized', status: 401 },
    );
  });
});

describe('clickup tasks: incremental and resumed runs', () => {
  it('since: only tasks changed or created after it, by date_updated_gt; deletions only show in full runs', async () => {
    const full = await tasks();
    const since = new Date(Date.parse(maxUpdated(full.records)) + 1000).toISOString();
    const changed = [backlog[0], backlog[150], incidents[29], ideas[0]] as string[];
    for (const id of changed) cu.updateTask(id, { name: `changed ${id}` });
    const deleted = backlog[1] as string;
    cu.deleteTask(deleted);
    const added = cu.seedTasks(2, { list: 'Inbox' });

    const inc = await tasks({ since, mode: 'incremental' });
    expectValid(inc.records, 'work_item');
    expect(idsOf(inc.records)).toEqual(recordIds([...changed, ...added]));
    expect(inc.deletedIds).toEqual([]);
    expect(cu.taskQueries().at(-1)?.get('date_updated_gt')).toBe(String(Date.parse(since) - 1));

    const again = await tasks();
    expect(byId(again.records).has(`clickup_task_${deleted}`)).toBe(false);
    expect(idsOf(again.records)).toEqual(recordIds(cu.searchableTaskIds()));
  });

  it('includes a task updated at exactly `since`', async () => {
    const id = backlog[7] as string;
    cu.updateTask(id, { tags: ['edge'] });
    const since = iso(raw(id).date_updated);
    const inc = await tasks({ since, mode: 'incremental' });
    expect(idsOf(inc.records)).toEqual(recordIds([id]));
  });

  it('resumes from a checkpoint without repeating or skipping, across Workspaces', async () => {
    const whole = await tasks();
    const first = await tasks({}, { maxPages: 2 });
    const checkpoint = first.checkpoints.at(-1);
    expect(checkpoint).toEqual({ teams: [cu.teams.acme, cu.teams.side], team: 0, page: 2 });
    const rest = await tasks({ checkpoint });
    expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(whole.records));
  });

  it('an edit during a run skips nothing (creation order)', async () => {
    const first = await tasks({ config: { team_id: cu.teams.acme } }, { maxPages: 1 });
    // Edit a task already read and one not yet read: neither moves in creation order.
    const live = cu.searchableTaskIds(cu.teams.acme);
    cu.updateTask(live[5] as string, { name: 'edited mid-run' });
    cu.updateTask(live[150] as string, { name: 'edited mid-run too' });
    const rest = await tasks({ config: { team_id: cu.teams.acme }, checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(recordIds(live));
  });

  it('pauses on ClickUp’s 429 with the X-RateLimit-Reset wait, and the page is read again after', async () => {
    const first = await tasks({}, { maxPages: 1 });
    const checkpoint = first.checkpoints.at(-1);
    cu.failNext('rate_limit', 42);
    const e = await expectProviderError(
      fetchPage('clickup', 'tasks', { ...base(), checkpoint }),
      'rate_limited',
      {
        status: 429,
      },
    );
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(41);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(42);
    const page = await fetchPage('clickup', 'tasks', { ...base(), checkpoint });
    expect(page.records).toHaveLength(100);
  });

  it('is unreachable when ClickUp answers 5xx', async () => {
    cu.failNext('down');
    await expectProviderError(fetchPage('clickup', 'tasks', base()), 'unreachable', { status: 503 });
  });
});

describe('clickup lists', () => {
  it('reads every list of every Space: in Folders, Folderless, archived ones too', async () => {
    const run = await lists();
    expectValid(run.records, 'project');
    const expected = cu.lists();
    expect(idsOf(run.records)).toEqual(expected.map((l) => `clickup_list_${l.id}`).sort());
    const got = byId(run.records);
    for (const l of expected) {
      expect(got.get(`clickup_list_${l.id}`)).toMatchObject({
        name: l.name,
        kind: 'list',
        parent: l.parent,
        status: l.archived ? 'archived' : 'active',
        url: `https://app.clickup.com/${l.teamId}/v/li/${l.id}`,
      });
    }
    expect(run.deletedIds).toEqual([]);
    // Per Workspace: its Spaces; per Space: 4 listings, and 1 per live Folder.
    // Acme: 1 + (4 + 1) + 4; Side Project: 1 + 4.
    expect(run.pages).toBe(15);
  });

  it('maps a list exactly', async () => {
    const id = cu.listId('Sprint 12');
    const run = await lists({ config: { team_id: cu.teams.acme } });
    expect(byId(run.records).get(`clickup_list_${id}`)).toEqual({
      name: 'Sprint 12',
      kind: 'list',
      key: null,
      description: 'Ship the importer.',
      status: 'active',
      raw_status: 'on track',
      url: `https://app.clickup.com/${cu.teams.acme}/v/li/${id}`,
      parent: 'Product',
      starts_at: '2025-06-02',
      ends_at: '2025-06-13',
      created_at: null,
      updated_at: null,
    });
    const scratch = byId(run.records).get(`clickup_list_${cu.listId('Scratch')}`);
    expect(scratch).toMatchObject({ status: 'archived', parent: 'Engineering', description: null });
    const roadmap = byId(run.records).get(`clickup_list_${cu.listId('Roadmap items')}`);
    expect(roadmap).toMatchObject({ status: 'archived', parent: '2023 Roadmap' });
  });

  it('resumes from any checkpoint to the same lists', async () => {
    const whole = await lists();
    for (const n of [1, 3, 7, 12]) {
      const first = await runSync('clickup', 'lists', base(), { maxPages: n });
      const rest = await lists({ checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(whole.records));
    }
  });

  it('pauses on a rate limit mid-walk and is unreachable on 5xx', async () => {
    const first = await runSync('clickup', 'lists', base(), { maxPages: 2 });
    cu.failNext('rate_limit', 5);
    const checkpoint = first.checkpoints.at(-1);
    const e = await expectProviderError(
      fetchPage('clickup', 'lists', { ...base(), checkpoint }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(4);
    cu.failNext('down');
    await expectProviderError(fetchPage('clickup', 'lists', { ...base(), checkpoint }), 'unreachable');
  });
});
