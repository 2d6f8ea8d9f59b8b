import { call, seg } from '../azure-devops/rest';
import { parseAnswer } from '../parse';
import type { ActionsOf, SyncRecord } from '../types';
import type { manifest } from './manifest';
import { azureWorkItem, literal, mapWorkItems, queryIds, readBatch, workItemIdOf } from './work-items';

/**
 * Azure Boards' tools: work items as records (`id`, the work item model's fields, and `number`,
 * the id people name work items by). Refusals — TF401232 (no such work item), TF401320 (a state
 * the type's workflow refuses), VS402323 (unknown work item type) — carry Azure DevOps' message.
 */

const flat = (r: SyncRecord) => ({ id: r.id, number: Number(r.id.replace(/^azb_wi_/, '')), ...r.data });

/** A JSON Patch "add" of one field. https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/create?view=azure-devops-rest-7.1 */
const set = (field: string, value: unknown) => ({ op: 'add', path: `/fields/${field}`, value });

const JSON_PATCH = 'application/json-patch+json';

export const actions: ActionsOf<typeof manifest> = {
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/create?view=azure-devops-rest-7.1
  // POST {project}/_apis/wit/workitems/${type}: the type follows a literal `$`.
  create_work_item: async (ctx, input) => {
    const ops = [
      set('System.Title', input.title),
      ...(input.description !== undefined ? [set('System.Description', input.description)] : []),
      ...(input.assigned_to !== undefined ? [set('System.AssignedTo', input.assigned_to)] : []),
      ...(input.tags?.length ? [set('System.Tags', input.tags.join('; '))] : []),
    ];
    const res = await call(ctx, `/${seg(input.project)}/_apis/wit/workitems/$${seg(input.type ?? 'Task')}`, {
      method: 'POST',
      contentType: JSON_PATCH,
      body: ops,
    });
    const created = parseAnswer('Azure Boards', azureWorkItem, res, 'POST /_apis/wit/workitems/$type');
    const [record] = await mapWorkItems(ctx, [created]);
    return { work_item: record ? flat(record) : null };
  },

  // https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/update?view=azure-devops-rest-7.1
  update_work_item_state: async (ctx, input) => {
    const res = await call(ctx, `/_apis/wit/workitems/${workItemIdOf(input.id)}`, {
      method: 'PATCH',
      contentType: JSON_PATCH,
      body: [set('System.State', input.state)],
    });
    const updated = parseAnswer('Azure Boards', azureWorkItem, res, 'PATCH /_apis/wit/workitems/{id}');
    const [record] = await mapWorkItems(ctx, [updated]);
    return { work_item: record ? flat(record) : null };
  },

  // WIQL for the ids, then one batch read. https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/wiql/query-by-wiql?view=azure-devops-rest-7.1
  list_work_items: async (ctx, input) => {
    const limit = input.limit ?? 50;
    const where = [
      '[System.TeamProject] = @project',
      ...(input.cursor !== undefined ? [`[System.Id] > ${Number(input.cursor)}`] : []),
      ...(input.state !== undefined ? [`[System.State] = ${literal(input.state)}`] : []),
      ...(input.type !== undefined ? [`[System.WorkItemType] = ${literal(input.type)}`] : []),
    ];
    const ids = await queryIds(ctx, { where, top: limit, project: input.project });
    const records = await mapWorkItems(ctx, await readBatch(ctx, ids));
    const last = ids.at(-1);
    return {
      work_items: records.map(flat),
      next_cursor: ids.length === limit && last !== undefined ? String(last) : null,
    };
  },
};
