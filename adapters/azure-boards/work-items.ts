import * as z from 'zod/mini';
import { call, isoOf, list, organizationUrl, seg } from '../azure-devops/rest';
import { ProviderError } from '../errors';
import { type WorkItem, workItem } from '../models';
import { parseAnswer } from '../parse';
import type { ActionContext, SyncRecord } from '../types';

/**
 * Azure Boards work items as work items, for the sync, the actions and the webhooks alike: the
 * fields asked for, their schema, the state mapping, WIQL and the batch read.
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items?view=azure-devops-rest-7.1
 */

type Ctx = Pick<ActionContext, 'config' | 'baseUrl' | 'http' | 'credentials' | 'metadata'>;

/** The fields the mapping reads: asked for by name (every field would be far more). */
export const FIELDS = [
  'System.Id',
  'System.Title',
  'System.Description',
  'System.State',
  'System.WorkItemType',
  'System.AssignedTo',
  'System.Tags',
  'System.TeamProject',
  'System.CreatedDate',
  'System.ChangedDate',
  'Microsoft.VSTS.Scheduling.DueDate',
];

/**
 * An identity field: an IdentityRef in REST 7.x, a `Display Name <email>` string in service
 * hook payloads of resource version 1.0.
 */
const identity = z.union([
  z.object({ displayName: z.optional(z.string()), uniqueName: z.optional(z.string()) }),
  z.string(),
]);

export const azureWorkItem = z.object({
  id: z.number(),
  rev: z.optional(z.number()),
  fields: z.object({
    'System.Title': z.optional(z.nullable(z.string())),
    'System.Description': z.optional(z.nullable(z.string())),
    'System.State': z.string(),
    'System.WorkItemType': z.string(),
    'System.AssignedTo': z.optional(z.nullable(identity)),
    'System.Tags': z.optional(z.nullable(z.string())),
    'System.TeamProject': z.string(),
    'System.CreatedDate': z.string(),
    'System.ChangedDate': z.string(),
    'Microsoft.VSTS.Scheduling.DueDate': z.optional(z.nullable(z.string())),
  }),
});
export type AzureWorkItem = z.infer<typeof azureWorkItem>;

/**
 * The states of the three system processes (Basic, Agile, Scrum, CMMI) by name. `Resolved`
 * (Agile, CMMI) is a fix made but not yet verified: still in progress until `Closed`.
 * https://learn.microsoft.com/en-us/azure/devops/boards/work-items/workflow-and-state-categories
 */
const BY_NAME: Record<string, WorkItem['status']> = {
  new: 'open',
  proposed: 'open',
  'to do': 'open',
  approved: 'open',
  active: 'in_progress',
  committed: 'in_progress',
  doing: 'in_progress',
  'in progress': 'in_progress',
  resolved: 'in_progress',
  closed: 'done',
  done: 'done',
  completed: 'done',
  removed: 'cancelled',
};

/**
 * State categories, for states a process customised: every state belongs to one of these.
 * https://learn.microsoft.com/en-us/azure/devops/boards/work-items/workflow-and-state-categories#category-states
 */
const BY_CATEGORY: Record<string, WorkItem['status']> = {
  Proposed: 'open',
  InProgress: 'in_progress',
  Resolved: 'in_progress',
  Completed: 'done',
  Removed: 'cancelled',
};

export const statusByName = (state: string): WorkItem['status'] | undefined =>
  BY_NAME[state.trim().toLowerCase()];

const stateList = list(z.object({ name: z.string(), category: z.string() }));

/**
 * Per run (or action), the categories of the states of each (project, type) met with a state
 * not named above: one call per pair, cached.
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-item-type-states/list?view=azure-devops-rest-7.1
 */
export const stateCategories = (ctx: Ctx) => {
  const cache = new Map<string, Promise<Map<string, string>>>();
  return async (project: string, type: string, state: string): Promise<WorkItem['status']> => {
    const known = statusByName(state);
    if (known) return known;
    const key = `${project}\u0000${type}`;
    let states = cache.get(key);
    if (!states) {
      states = call(ctx, `/${seg(project)}/_apis/wit/workitemtypes/${seg(type)}/states`).then(
        (res) =>
          new Map(
            parseAnswer(
              'Azure Boards',
              stateList,
              res,
              'GET /_apis/wit/workitemtypes/{type}/states',
            ).value.map((s) => [s.name.toLowerCase(), s.category] as const),
          ),
      );
      cache.set(key, states);
    }
    const category = (await states).get(state.toLowerCase());
    return (category && BY_CATEGORY[category]) || 'open';
  };
};
export type StatusOf = ReturnType<typeof stateCategories>;

/** System.Description is HTML: as plain text, one line a block. */
export const plainText = (html: string | null | undefined): string | null => {
  if (!html) return null;
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return text === '' ? null : text;
};

const assignee = (a: z.infer<typeof identity> | null | undefined): string[] => {
  if (!a) return [];
  if (typeof a === 'string') return [a.replace(/\s*<[^>]*>$/, '')].filter(Boolean);
  const name = a.displayName || a.uniqueName;
  return name ? [name] : [];
};

export const workItemRecordId = (id: number | string): string => `azb_wi_${id}`;

/** The id from a work item reference (42, "42" or "azb_wi_42"). */
export const workItemIdOf = (ref: number | string): number =>
  typeof ref === 'number' ? ref : Number(ref.replace(/^azb_wi_/, ''));

/**
 * A work item mapped with its (already known) status, checked against the model. `orgUrl` is
 * `https://dev.azure.com/{organization}` (what verification stored as `organization_url`).
 */
export const mapWorkItem = (orgUrl: string, w: AzureWorkItem, status: WorkItem['status']): SyncRecord => {
  const f = w.fields;
  const project = f['System.TeamProject'];
  const data: WorkItem = {
    title: f['System.Title'] ?? '',
    description: plainText(f['System.Description']),
    status,
    raw_status: f['System.State'],
    assignees: assignee(f['System.AssignedTo']),
    labels: (f['System.Tags'] ?? '')
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean),
    // https://learn.microsoft.com/en-us/azure/devops/boards/work-items/view-add-work-items (…/_workitems/edit/{id})
    url: `${orgUrl}/${seg(project)}/_workitems/edit/${w.id}`,
    project,
    due_date: f['Microsoft.VSTS.Scheduling.DueDate']?.slice(0, 10) ?? null,
    created_at: isoOf(f['System.CreatedDate'], 'System.CreatedDate'),
    updated_at: isoOf(f['System.ChangedDate'], 'System.ChangedDate'),
  };
  const r = workItem.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Azure Boards answered work item ${w.id} with data that does not map to a work item.`,
    );
  }
  return { id: workItemRecordId(w.id), data: r.data };
};

/** Maps work items, looking up the category of any state not known by name. */
export const mapWorkItems = async (
  ctx: Ctx,
  items: AzureWorkItem[],
  statusOf: StatusOf = stateCategories(ctx),
) => {
  const out: SyncRecord[] = [];
  for (const w of items) {
    const f = w.fields;
    out.push(
      mapWorkItem(
        organizationUrl(ctx),
        w,
        await statusOf(f['System.TeamProject'], f['System.WorkItemType'], f['System.State']),
      ),
    );
  }
  return out;
};

/** A WIQL string literal: single quotes doubled. https://learn.microsoft.com/en-us/azure/devops/boards/queries/wiql-syntax */
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

const wiqlAnswer = z.object({ workItems: z.array(z.object({ id: z.number() })) });

/**
 * Work item ids by WIQL, in id order, at most `top`; `project` scopes the query to one
 * project (its path), else the whole organization. `timePrecision=true`: without it WIQL
 * compares dates by day and ignores the time of `[System.ChangedDate] >= '…'`.
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/wiql/query-by-wiql?view=azure-devops-rest-7.1
 */
export const queryIds = async (
  ctx: Ctx,
  o: { where: string[]; top: number; project?: string },
): Promise<number[]> => {
  const where = o.where.length > 0 ? ` WHERE ${o.where.join(' AND ')}` : '';
  const res = await call(ctx, `${o.project ? `/${seg(o.project)}` : ''}/_apis/wit/wiql`, {
    method: 'POST',
    query: { $top: String(o.top), timePrecision: 'true' },
    body: { query: `SELECT [System.Id] FROM WorkItems${where} ORDER BY [System.Id] ASC` },
  });
  return parseAnswer('Azure Boards', wiqlAnswer, res, 'POST /_apis/wit/wiql').workItems.map((w) => w.id);
};

/** The batch read's limit. https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/get-work-items-batch?view=azure-devops-rest-7.1 */
export const BATCH = 200;

// errorPolicy "omit": a work item deleted (or out of reach) since the query is a null, not a 404 of the batch.
const batchAnswer = list(z.nullable(azureWorkItem));

/** Up to 200 work items by id, with the mapped fields; ids gone meanwhile are left out. */
export const readBatch = async (ctx: Ctx, ids: number[]): Promise<AzureWorkItem[]> => {
  if (ids.length === 0) return [];
  const res = await call(ctx, '/_apis/wit/workitemsbatch', {
    method: 'POST',
    body: { ids, fields: FIELDS, errorPolicy: 'omit' },
  });
  return parseAnswer('Azure Boards', batchAnswer, res, 'POST /_apis/wit/workitemsbatch').value.filter(
    (w): w is AzureWorkItem => w !== null,
  );
};
