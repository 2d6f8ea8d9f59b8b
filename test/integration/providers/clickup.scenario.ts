import { expect } from 'vitest';
import { clickUpRefusal, startClickUpFake } from '../../fakes/clickup';
import { members } from '../../fakes/clickup-workspace';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * ClickUp end to end: a personal token, both Workspaces walked (no `team_id`), tasks over
 * several pages, every list of the hierarchy, and both write actions seen at the fake.
 */
const scenario: ProviderScenario = {
  provider: 'clickup',
  async start() {
    const cu = await startClickUpFake();
    const backlog = cu.seedTasks(140);
    cu.seedTasks(25, { list: 'Incidents' });
    cu.seedTasks(6, { list: 'Ideas' });
    // In an archived list: not in ClickUp's task search, so not synced.
    cu.seedTasks(3, { list: 'Sprint 11' });
    const target = backlog[0] as string;
    const taskOf = (data: Json) => {
      const id = String(data.work_item.id);
      expect(id).toMatch(/^clickup_task_/);
      return cu.task(id.replace('clickup_task_', '')) as Json;
    };

    return {
      stop: () => cu.stop(),
      integration: { provider: 'clickup', endpoints: { api_base_url: cu.apiBaseUrl } },
      connection: { credentials: cu.valid },
      syncs: {
        tasks: { model: 'work_item', count: cu.searchableTaskIds().length },
        lists: { model: 'project', count: cu.lists().length },
      },
      actions: {
        create_task: {
          input: {
            list_id: cu.listId('Sprint 12'),
            name: 'Import CSV from Trello',
            status: 'in progress',
            assignees: [members.ada.id],
            tags: ['importer'],
            due_date: '2025-09-30',
          },
          check(data) {
            expect(data.work_item).toMatchObject({
              title: 'Import CSV from Trello',
              status: 'in_progress',
              raw_status: 'in progress',
              assignees: ['Ada Lovelace'],
              labels: ['importer'],
              project: 'Sprint 12',
              due_date: '2025-09-30',
            });
            const at = taskOf(data);
            expect(at.list.id).toBe(cu.listId('Sprint 12'));
          },
        },
        update_task_status: {
          input: { task_id: target, status: 'complete' },
          check(data) {
            expect(data.work_item).toMatchObject({
              id: `clickup_task_${target}`,
              status: 'done',
              raw_status: 'complete',
            });
            expect(taskOf(data).status.status).toBe('complete');
          },
        },
      },
      probe: 'update_task_status',
      failNext: (kind, retryAfterSeconds) => cu.failNext(kind, retryAfterSeconds),
      refusalMessage: clickUpRefusal,
    };
  },
};

export default scenario;
