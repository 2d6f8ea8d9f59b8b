import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

let az: AzureDevOpsFake;
let tasks: number[];

beforeAll(async () => {
  az = await startAzureDevOpsFake();
  az.addProject('Fabrikam');
  tasks = az.seedWorkItems('Fabrikam', 7);
});
afterAll(() => az.stop());

const call = () => ({ credentials: az.valid, baseUrl: az.apiBaseUrl, config: { organization: 'acme' } });

describe('azure_boards actions', () => {
  it('create_work_item sends a JSON Patch document to workitems/$type', async () => {
    const data = await runAction('azure_boards', 'create_work_item', call(), {
      project: 'Fabrikam',
      type: 'User Story',
      title: 'Export to CSV',
      assigned_to: 'Jane Doe',
      tags: ['export'],
    });
    const sent = az.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', path: '/acme/Fabrikam/_apis/wit/workitems/$User%20Story' });
    expect(sent?.headers['content-type']).toBe('application/json-patch+json');
    const item = data.work_item as { id: string; number: number };
    expect(az.workItem(item.number)).toMatchObject({
      title: 'Export to CSV',
      type: 'User Story',
      assignedTo: 'Jane Doe',
      tags: ['export'],
    });
    expect(data.work_item).toMatchObject({
      status: 'open',
      raw_status: 'New',
      assignees: ['Jane Doe'],
      labels: ['export'],
    });
  });

  it('create_work_item: an unknown type is refused in Azure DevOps’ words', async () => {
    await expectProviderError(
      runAction('azure_boards', 'create_work_item', call(), {
        project: 'Fabrikam',
        type: 'Epic Saga',
        title: 'x',
      }),
      'rejected',
      { message: /^VS402323: Work item type Epic Saga does not exist/, status: 404 },
    );
  });

  it('update_work_item_state moves a work item; a state its type lacks is TF401320', async () => {
    const data = await runAction('azure_boards', 'update_work_item_state', call(), {
      id: tasks[0],
      state: 'Closed',
    });
    expect(az.workItem(tasks[0] as number)?.state).toBe('Closed');
    expect(data.work_item).toMatchObject({ id: `azb_wi_${tasks[0]}`, status: 'done', raw_status: 'Closed' });
    await expectProviderError(
      runAction('azure_boards', 'update_work_item_state', call(), {
        id: `azb_wi_${tasks[1]}`,
        state: 'Resolved',
      }),
      'rejected',
      { message: /^TF401320: Rule Error for field State/, status: 400 },
    );
    await expectProviderError(
      runAction('azure_boards', 'update_work_item_state', call(), { id: 999_999, state: 'Active' }),
      'rejected',
      { message: /^TF401232/, status: 404 },
    );
  });

  it('list_work_items pages by id with a cursor, filtered by state', async () => {
    const first = await runAction('azure_boards', 'list_work_items', call(), {
      project: 'Fabrikam',
      state: 'New',
      limit: 4,
    });
    // tasks[0] was closed above; the User Story created above is New too, but no Task.
    const open = tasks.slice(1);
    expect((first.work_items as { id: string }[]).map((w) => w.id)).toEqual(
      open.slice(0, 4).map((id) => `azb_wi_${id}`),
    );
    expect(first.next_cursor).toBe(String(open[3]));
    const second = await runAction('azure_boards', 'list_work_items', call(), {
      project: 'Fabrikam',
      state: 'New',
      type: 'Task',
      limit: 4,
      cursor: first.next_cursor as string,
    });
    expect((second.work_items as { id: string }[]).map((w) => w.id)).toEqual(
      open.slice(4).map((id) => `azb_wi_${id}`),
    );
    expect(second.next_cursor).toBeNull();
  });

  it('maps 5xx to unreachable and 429 to rate_limited', async () => {
    az.failNext('down');
    await expectProviderError(
      runAction('azure_boards', 'list_work_items', call(), { project: 'Fabrikam' }),
      'unreachable',
    );
    az.failNext('rate_limit', 5);
    const e = await expectProviderError(
      runAction('azure_boards', 'list_work_items', call(), { project: 'Fabrikam' }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(5);
  });
});
