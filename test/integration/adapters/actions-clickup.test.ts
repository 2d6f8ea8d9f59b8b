import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type ClickUpFake, clickUpRefusal, startClickUpFake } from '../../fakes/clickup';
import { members } from '../../fakes/clickup-workspace';
import { runAction } from './action-helpers';
import { expectValid } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let cu: ClickUpFake;
let seeded: string[];

beforeAll(async () => {
  cu = await startClickUpFake();
  seeded = cu.seedTasks(6);
});
afterAll(() => cu.stop());

const call = () => ({ credentials: cu.valid, baseUrl: cu.apiBaseUrl });
const create = (input: Record<string, unknown>) => runAction('clickup', 'create_task', call(), input);
const setStatus = (input: Record<string, unknown>) =>
  runAction('clickup', 'update_task_status', call(), input);

type WorkItemOut = { work_item: { id: string } & Record<string, unknown> };
const workItemOf = (data: Record<string, unknown>) => {
  const w = (data as WorkItemOut).work_item;
  const { id, ...fields } = w;
  expectValid([{ id, data: fields }], 'work_item');
  return w;
};

describe('clickup create_task', () => {
  it('creates the task in the list and answers it as a work_item', async () => {
    const list = cu.listId('Sprint 12');
    const data = await create({
      list_id: list,
      name: 'Import CSV from Trello',
      description: 'Columns as in the export.',
      status: 'In Progress',
      assignees: [members.grace.id, members.guest.id],
      tags: ['importer'],
      due_date: '2025-09-30',
    });
    const w = workItemOf(data);
    const id = w.id.replace('clickup_task_', '');
    expect(w).toMatchObject({
      id: `clickup_task_${id}`,
      title: 'Import CSV from Trello',
      description: 'Columns as in the export.',
      status: 'in_progress',
      raw_status: 'in progress',
      assignees: ['Grace Hopper', 'guest@partner.io'],
      labels: ['importer'],
      url: `https://app.clickup.com/t/${id}`,
      project: 'Sprint 12',
      due_date: '2025-09-30',
    });
    // At ClickUp: in that list, the day sent as noon UTC without a time.
    const at = cu.task(id) as { list: { id: string }; due_date: string; status: { status: string } };
    expect(at.list.id).toBe(list);
    expect(at.due_date).toBe(String(Date.parse('2025-09-30T12:00:00Z')));
    expect(at.status.status).toBe('in progress');
    const sent = cu.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: `/api/v2/list/${list}/task` });
    expect(sent?.headers.authorization).toBe((cu.valid as { api_key: string }).api_key);
  });

  it('creates with the name alone, in the workflow’s first status', async () => {
    const w = workItemOf(await create({ list_id: cu.listId('Incidents'), name: 'Disk full on db-2' }));
    expect(w).toMatchObject({
      status: 'open',
      raw_status: 'open',
      description: null,
      assignees: [],
      labels: [],
      due_date: null,
      project: 'Incidents',
    });
  });

  it('sends an instant as a due date with its time', async () => {
    const w = workItemOf(
      await create({ list_id: cu.listId('Inbox'), name: 'Call back', due_date: '2025-10-02T15:30:00+02:00' }),
    );
    const at = cu.task(w.id.replace('clickup_task_', '')) as { due_date: string };
    expect(at.due_date).toBe(String(Date.parse('2025-10-02T13:30:00Z')));
    expect(w.due_date).toBe('2025-10-02');
  });

  it('is found by projectField list_id, which the schema requires', async () => {
    const decl = (await loadAdapter('clickup'))?.manifest.actions.find((a) => a.name === 'create_task');
    expect(decl?.projectField).toBe('list_id');
    expect(decl?.writes).toBe(true);
    expect(decl?.input.safeParse({ name: 'x' }).success).toBe(false);
    expect(decl?.input.safeParse({ list_id: '../team', name: 'x' }).success).toBe(false);
    expect(decl?.input.safeParse({ list_id: '1', name: 'x', due_date: 'tomorrow' }).success).toBe(false);
  });

  it("is rejected with ClickUp's err: a status the list lacks, an unknown list", async () => {
    const e = await expectProviderError(
      create({ list_id: cu.listId('Incidents'), name: 'x', status: 'in review' }),
      'rejected',
      { message: 'Status does not exist', status: 400 },
    );
    expect(e.code).toBe('CRTSK_001');
    await expectProviderError(create({ list_id: '123', name: 'x' }), 'rejected', {
      message: 'List not found',
      status: 404,
    });
  });

  it('is rate_limited with the X-RateLimit-Reset wait, and unreachable on 5xx', async () => {
    cu.failNext('rate_limit', 20);
    const e = await expectProviderError(create({ list_id: cu.listId('Inbox'), name: 'x' }), 'rate_limited', {
      status: 429,
    });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(19);
    expect(e.retryAfterSeconds).toBeLessThanOrEqual(20);
    cu.failNext('down');
    await expectProviderError(create({ list_id: cu.listId('Inbox'), name: 'x' }), 'unreachable', {
      status: 503,
    });
  });
});

describe('clickup update_task_status', () => {
  it("moves the task to another status of its list's workflow, matched case-insensitively", async () => {
    const id = seeded[0] as string;
    const before = cu.task(id) as { date_updated: string };
    const w = workItemOf(await setStatus({ task_id: id, status: 'Complete' }));
    expect(w).toMatchObject({
      id: `clickup_task_${id}`,
      status: 'done',
      raw_status: 'complete',
      project: 'Backlog',
    });
    const at = cu.task(id) as { status: { status: string }; date_updated: string };
    expect(at.status.status).toBe('complete');
    expect(Number(at.date_updated)).toBeGreaterThan(Number(before.date_updated));
    expect(cu.requests.at(-1)).toMatchObject({ method: 'PUT', path: `/api/v2/task/${id}` });
  });

  it('maps a done status named as such to cancelled', async () => {
    const w = workItemOf(await setStatus({ task_id: seeded[1] as string, status: 'cancelled' }));
    expect(w).toMatchObject({ status: 'cancelled', raw_status: 'cancelled' });
  });

  it("is rejected with ClickUp's err: an unknown task, a status the workflow lacks", async () => {
    const e = await expectProviderError(setStatus({ task_id: '86zzzzzz', status: 'complete' }), 'rejected', {
      message: 'Task not found',
      status: 404,
    });
    expect(e.code).toBe('ITEM_013');
    await expectProviderError(
      setStatus({ task_id: seeded[2] as string, status: 'investigating' }),
      'rejected',
      {
        message: 'Status does not exist',
        status: 400,
      },
    );
    expect((cu.task(seeded[2] as string) as { status: { status: string } }).status.status).not.toBe(
      'investigating',
    );
  });

  it('refuses a custom task id or a path in task_id before calling', async () => {
    await expect(setStatus({ task_id: '../list/1', status: 'x' })).rejects.toThrow(/input refused/);
  });

  it('maps the fake’s generic refusal, rate limit and outage', async () => {
    cu.failNext('refuse');
    await expectProviderError(setStatus({ task_id: seeded[3] as string, status: 'complete' }), 'rejected', {
      message: clickUpRefusal,
      status: 404,
    });
    cu.failNext('rate_limit', 7);
    const e = await expectProviderError(
      setStatus({ task_id: seeded[3] as string, status: 'complete' }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(6);
    cu.failNext('down');
    await expectProviderError(setStatus({ task_id: seeded[3] as string, status: 'complete' }), 'unreachable');
    // None of these reached the task.
    expect((cu.task(seeded[3] as string) as { status: { status: string } }).status.status).not.toBe(
      'complete',
    );
  });
});
