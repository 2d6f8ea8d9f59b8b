import { expect } from 'vitest';
import { AZURE_REFUSAL, startAzureDevOpsFake } from '../../fakes/azure-devops';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Azure Boards against the Azure DevOps fake, connected with a personal access token (basic,
 * any user name) to the organization `acme`: Fabrikam with 195 work items — Tasks in every
 * state, Bugs Resolved, User Stories in a customised state whose category the adapter looks up
 * — Web with 6 (201 in all: two WIQL pages of 200), and an empty project.
 */
const scenario: ProviderScenario = {
  provider: 'azure_boards',
  start: async () => {
    const az = await startAzureDevOpsFake();
    az.addProject('Fabrikam');
    az.addProject('Web');
    az.addProject('Empty', { visibility: 'public' });
    const fresh = az.seedWorkItems('Fabrikam', 125, { type: 'Task', state: 'New' });
    const active = az.seedWorkItems('Fabrikam', 30, { type: 'Task', state: 'Active' });
    const closed = az.seedWorkItems('Fabrikam', 20, { type: 'Task', state: 'Closed' });
    const resolved = az.seedWorkItems('Fabrikam', 10, { type: 'Bug', state: 'Resolved' });
    const qa = az.seedWorkItems('Fabrikam', 10, { type: 'User Story', state: 'Ready for QA' });
    const web = az.seedWorkItems('Web', 6, { type: 'Task', state: 'New' });
    const total = fresh.length + active.length + closed.length + resolved.length + qa.length + web.length;

    return {
      stop: () => az.stop(),
      integration: { provider: 'azure_boards', endpoints: { api_base_url: az.apiBaseUrl } },
      connection: { credentials: az.valid as Record<string, unknown>, config: { organization: 'acme' } },
      syncs: {
        work_items: { model: 'work_item', count: total },
        projects: { model: 'project', count: 3 },
      },
      actions: {
        create_work_item: {
          input: {
            project: 'Web',
            type: 'Bug',
            title: 'Checkout button misaligned',
            description: 'On Safari 17.',
            tags: ['ui', 'p2'],
          },
          check: (data: Json) => {
            const id = Number(String(data.work_item.id).replace('azb_wi_', ''));
            const created = az.workItem(id);
            expect(created?.title).toBe('Checkout button misaligned');
            expect(created?.type).toBe('Bug');
            expect(data.work_item).toEqual({
              id: `azb_wi_${id}`,
              number: id,
              title: 'Checkout button misaligned',
              description: 'On Safari 17.',
              status: 'open',
              raw_status: 'New',
              assignees: [],
              labels: ['ui', 'p2'],
              url: `${az.apiBaseUrl}/acme/Web/_workitems/edit/${id}`,
              project: 'Web',
              due_date: null,
              created_at: expect.any(String),
              updated_at: expect.any(String),
            });
          },
        },
        update_work_item_state: {
          input: { id: `azb_wi_${web[0]}`, state: 'Active' },
          check: (data: Json) => {
            expect(az.workItem(web[0] as number)?.state).toBe('Active');
            expect(data.work_item).toMatchObject({
              id: `azb_wi_${web[0]}`,
              status: 'in_progress',
              raw_status: 'Active',
            });
          },
        },
        list_work_items: {
          input: { project: 'Fabrikam', state: 'New', limit: 100 },
          check: (data: Json) => {
            expect(data.work_items).toHaveLength(100);
            expect(data.work_items.map((w: Json) => w.id)).toEqual(
              fresh.slice(0, 100).map((id) => `azb_wi_${id}`),
            );
            for (const w of data.work_items) expect(w).toMatchObject({ project: 'Fabrikam', status: 'open' });
            expect(data.next_cursor).toBe(String(fresh[99]));
          },
        },
      },
      probe: 'list_work_items',
      failNext: (kind, retryAfterSeconds) => az.failNext(kind, retryAfterSeconds),
      refusalMessage: AZURE_REFUSAL,
    };
  },
};

export default scenario;
