import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { project, workItem } from '../models';
import type { SyncRecord } from '../types';
import type { LinearList } from './graphql';

/**
 * Linear's issues, projects and cycles: the fields a sync or an action selects, their shape,
 * and their mapping to the unified models (issues → work_item, projects and cycles → project),
 * shared so that a record and a tool's answer for the same object are the same.
 * https://linear.app/developers/graphql (schema: https://studio.apollographql.com/public/Linear-API)
 */

const isoOf = (value: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Linear answered an invalid date: ${value}.`);
  return new Date(t).toISOString();
};

const modelled = <S extends z.ZodMiniType>(schema: S, data: unknown, what: string): z.infer<S> => {
  const r = schema.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Linear answered ${what} with data that does not map to our model.`,
    );
  }
  return r.data;
};

// ---- Issues → work_item ----

export const ISSUE_FIELDS = `id identifier title description url dueDate createdAt updatedAt archivedAt trashed
      state { name type }
      assignee { name }
      labels { nodes { name } }
      team { key }`;

export const issueNode = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  description: z.optional(z.nullable(z.string())),
  url: z.string(),
  dueDate: z.optional(z.nullable(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.optional(z.nullable(z.string())),
  trashed: z.optional(z.nullable(z.boolean())),
  state: z.object({ name: z.string(), type: z.string() }),
  assignee: z.optional(z.nullable(z.object({ name: z.string() }))),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() })) }),
  team: z.object({ key: z.string() }),
});
export type IssueNode = z.infer<typeof issueNode>;
export const issueList: LinearList<typeof issueNode> = {
  field: 'issues',
  filterType: 'IssueFilter',
  fields: ISSUE_FIELDS,
  node: issueNode,
};

const ISSUE_STATUS: Record<string, z.infer<typeof workItem>['status']> = {
  triage: 'open',
  backlog: 'open',
  unstarted: 'open',
  started: 'in_progress',
  completed: 'done',
  canceled: 'cancelled',
};

export const issueId = (n: { id: string }) => `linear_issue_${n.id}`;

export const mapIssue = (n: IssueNode): SyncRecord => ({
  id: issueId(n),
  data: modelled(
    workItem,
    {
      title: n.title,
      description: n.description ?? null,
      status: ISSUE_STATUS[n.state.type] ?? 'open',
      raw_status: n.state.name,
      assignees: n.assignee ? [n.assignee.name] : [],
      labels: n.labels.nodes.map((l) => l.name),
      url: n.url,
      project: n.team.key,
      due_date: n.dueDate ?? null,
      created_at: isoOf(n.createdAt),
      updated_at: isoOf(n.updatedAt),
    },
    n.identifier,
  ),
});

// ---- Projects → project (kind 'project') ----

const PROJECT_FIELDS = `id name description slugId url startDate targetDate createdAt updatedAt archivedAt trashed
      status { name type }
      teams { nodes { key } }`;

const projectNode = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.nullable(z.string())),
  slugId: z.optional(z.nullable(z.string())),
  url: z.string(),
  startDate: z.optional(z.nullable(z.string())),
  targetDate: z.optional(z.nullable(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.optional(z.nullable(z.string())),
  trashed: z.optional(z.nullable(z.boolean())),
  status: z.object({ name: z.string(), type: z.string() }),
  teams: z.object({ nodes: z.array(z.object({ key: z.string() })) }),
});
type ProjectNode = z.infer<typeof projectNode>;
export const projectList: LinearList<typeof projectNode> = {
  field: 'projects',
  filterType: 'ProjectFilter',
  fields: PROJECT_FIELDS,
  node: projectNode,
};

type ProjectStatus = z.infer<typeof project>['status'];

/**
 * Project status types (ProjectStatusType). A paused project has started and is not over:
 * active, with Linear's own status name kept in raw_status.
 */
const PROJECT_STATUS: Record<string, ProjectStatus> = {
  backlog: 'planned',
  planned: 'planned',
  started: 'active',
  paused: 'active',
  completed: 'completed',
  canceled: 'cancelled',
};

export const projectId = (n: { id: string }) => `linear_project_${n.id}`;

export const mapProject = (n: ProjectNode): SyncRecord => ({
  id: projectId(n),
  data: modelled(
    project,
    {
      name: n.name,
      kind: 'project',
      key: n.slugId ?? null,
      // Linear's description is a required string, empty when not written.
      description: n.description ? n.description : null,
      status: n.archivedAt ? 'archived' : (PROJECT_STATUS[n.status.type] ?? 'planned'),
      raw_status: n.status.name,
      url: n.url,
      // A project may span teams: their keys, comma-separated.
      parent: n.teams.nodes.length > 0 ? n.teams.nodes.map((t) => t.key).join(',') : null,
      starts_at: n.startDate ?? null,
      ends_at: n.targetDate ?? null,
      created_at: isoOf(n.createdAt),
      updated_at: isoOf(n.updatedAt),
    },
    `project ${n.id}`,
  ),
});

// ---- Cycles → project (kind 'cycle') ----

const CYCLE_FIELDS = `id number name startsAt endsAt completedAt createdAt updatedAt archivedAt
      team { key }`;

const cycleNode = z.object({
  id: z.string(),
  number: z.number(),
  name: z.optional(z.nullable(z.string())),
  startsAt: z.string(),
  endsAt: z.string(),
  completedAt: z.optional(z.nullable(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.optional(z.nullable(z.string())),
  team: z.object({ key: z.string() }),
});
type CycleNode = z.infer<typeof cycleNode>;
export const cycleList: LinearList<typeof cycleNode> = {
  field: 'cycles',
  filterType: 'CycleFilter',
  fields: CYCLE_FIELDS,
  node: cycleNode,
};

/**
 * A cycle has no status of its own: completed once Linear closed it (`completedAt`) or its
 * window is over, active within its window, planned before it. It moves from one to the next
 * by the clock alone, without a change to `updatedAt` (the cycles sync asks for those too).
 */
const cycleStatus = (n: CycleNode, now: number): ProjectStatus => {
  if (n.archivedAt) return 'archived';
  if (n.completedAt) return 'completed';
  if (now < Date.parse(n.startsAt)) return 'planned';
  return now < Date.parse(n.endsAt) ? 'active' : 'completed';
};

export const cycleId = (n: { id: string }) => `linear_cycle_${n.id}`;

export const mapCycle = (n: CycleNode, now = Date.now()): SyncRecord => ({
  id: cycleId(n),
  data: modelled(
    project,
    {
      name: n.name ? n.name : `Cycle ${n.number}`,
      kind: 'cycle',
      key: String(n.number),
      description: null,
      status: cycleStatus(n, now),
      raw_status: null,
      url: null,
      parent: n.team.key,
      starts_at: isoOf(n.startsAt),
      ends_at: isoOf(n.endsAt),
      created_at: isoOf(n.createdAt),
      updated_at: isoOf(n.updatedAt),
    },
    `cycle ${n.id}`,
  ),
});
