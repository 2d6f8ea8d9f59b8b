import * as z from 'zod/mini';
import { project } from '../models';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { checked, clickupCall, dayOfMs } from './rest';
import { mapTask, task } from './task';

/**
 * ClickUp's syncs, one call per `fetchPage`, per Workspace (a "team" in API v2): the
 * connection's `config.team_id`, else every Workspace the token can see.
 *
 * Tasks come from the Workspace-wide task search, 100 a page by page number, in creation order
 * oldest first (`order_by=created&reverse=false`): an offset page walk in update order would
 * skip the task crossing a page boundary whenever one is edited mid-run, while creation order
 * only grows at the end, where the run still reaches it. Incremental runs filter on
 * `date_updated_gt`. ClickUp reports no deletions there: a deleted task simply stops being
 * listed, so full runs are what retire it.
 * https://developer.clickup.com/reference/getfilteredteamtasks
 */

const PAGE_SIZE = 100;

const teamsAnswer = z.object({ teams: z.array(z.object({ id: z.string(), name: z.string() })) });
const tasksAnswer = z.object({ tasks: z.array(task), last_page: z.optional(z.boolean()) });

/** The Workspaces a run walks, resolved on its first page and kept in the checkpoint. */
const teamsOf = async (ctx: SyncContext): Promise<string[]> => {
  if (typeof ctx.config.team_id === 'string') return [ctx.config.team_id];
  // https://developer.clickup.com/reference/getauthorizedteams
  const { teams } = await clickupCall(ctx, { path: '/team', call: 'GET /team', schema: teamsAnswer });
  return teams.map((t) => t.id);
};

const tasksCheckpoint = z.object({
  teams: z.array(z.string()),
  team: z.int().check(z.minimum(0)),
  page: z.int().check(z.minimum(0)),
});
type TasksCheckpoint = z.infer<typeof tasksCheckpoint>;

/** `date_updated_gt` for `since`: strictly greater, so one millisecond earlier keeps `since` itself. */
const updatedAfter = (ctx: SyncContext): string | undefined => {
  if (ctx.mode !== 'incremental' || ctx.since === undefined) return undefined;
  const t = Date.parse(ctx.since);
  if (Number.isNaN(t)) throw new Error(`since is not an ISO instant: ${ctx.since}`);
  return String(t - 1);
};

const fetchTasksPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const stored = tasksCheckpoint.safeParse(ctx.checkpoint);
  const at: TasksCheckpoint = stored.success ? stored.data : { teams: await teamsOf(ctx), team: 0, page: 0 };
  const teamId = at.teams[at.team];
  if (teamId === undefined) return { records: [] };

  const q = new URLSearchParams({
    page: String(at.page),
    order_by: 'created',
    reverse: 'false',
    include_closed: 'true',
    subtasks: 'true',
  });
  const after = updatedAfter(ctx);
  if (after !== undefined) q.set('date_updated_gt', after);
  const answer = await clickupCall(ctx, {
    path: `/team/${encodeURIComponent(teamId)}/task?${q}`,
    call: 'GET /team/{team_id}/task',
    schema: tasksAnswer,
  });
  const records = answer.tasks.map(mapTask);
  // `last_page` where ClickUp sends it; a short page ends the listing either way.
  const last = answer.last_page ?? answer.tasks.length < PAGE_SIZE;
  if (!last) return { records, next: { ...at, page: at.page + 1 } };
  if (at.team + 1 < at.teams.length)
    return { records, next: { teams: at.teams, team: at.team + 1, page: 0 } };
  return { records };
};

/**
 * Lists, full runs only (ClickUp's hierarchy endpoints have no change filter and no paging):
 * per Workspace its Spaces, then per Space the lists in its Folders, those of its archived
 * Folders, its Folderless lists, its archived Folderless lists, and the archived lists inside
 * each live Folder — one call a page, so a large Workspace neither bursts ClickUp's
 * per-minute limit in one page nor repeats much after a rate-limit pause. Archived Spaces are
 * not walked.
 * https://developer.clickup.com/reference/getspaces
 * https://developer.clickup.com/reference/getfolders
 * https://developer.clickup.com/reference/getfolderlesslists
 * https://developer.clickup.com/reference/getlists
 */

const place = z.object({ id: z.string(), name: z.string() });
type Place = z.infer<typeof place>;

const step = z.discriminatedUnion('call', [
  z.object({ call: z.literal('folders'), archived: z.boolean() }),
  z.object({ call: z.literal('lists'), archived: z.boolean() }),
  z.object({ call: z.literal('folder_lists'), folder: place }),
]);
type Step = z.infer<typeof step>;

const listsCheckpoint = z.object({
  teams: z.array(z.string()),
  team: z.int().check(z.minimum(0)),
  /** The Spaces of the Workspace being walked not yet done, the current one first. */
  spaces: z.optional(z.array(place)),
  /** What is left to read of the current Space. */
  steps: z.optional(z.array(step)),
});
type ListsCheckpoint = z.infer<typeof listsCheckpoint>;

const spaceSteps = (): Step[] => [
  { call: 'folders', archived: false },
  { call: 'folders', archived: true },
  { call: 'lists', archived: false },
  { call: 'lists', archived: true },
];

const list = z.object({
  id: z.string(),
  name: z.string(),
  content: z.optional(z.nullable(z.string())),
  status: z.optional(z.nullable(z.object({ status: z.optional(z.nullable(z.string())) }))),
  start_date: z.optional(z.nullable(z.string())),
  due_date: z.optional(z.nullable(z.string())),
  archived: z.optional(z.boolean()),
});
type List = z.infer<typeof list>;

const spacesAnswer = z.object({ spaces: z.array(place) });
const foldersAnswer = z.object({
  folders: z.array(z.object({ id: z.string(), name: z.string(), lists: z.optional(z.array(list)) })),
});
const listsAnswer = z.object({ lists: z.array(list) });

const mapList = (l: List, o: { teamId: string; parent: string; archived: boolean }): SyncRecord =>
  checked(project, `clickup_list_${l.id}`, {
    name: l.name,
    kind: 'list',
    key: null,
    description: l.content || null,
    status: o.archived || l.archived === true ? 'archived' : 'active',
    // A list's own status is a label with a colour ("on track", "at risk"), not its lifecycle.
    raw_status: l.status?.status ?? null,
    // The API gives no list URL; this is the one ClickUp's "Copy link" gives.
    url: `https://app.clickup.com/${o.teamId}/v/li/${l.id}`,
    parent: o.parent,
    starts_at: l.start_date ? dayOfMs(l.start_date, 'start_date') : null,
    ends_at: l.due_date ? dayOfMs(l.due_date, 'due_date') : null,
    created_at: null,
    updated_at: null,
  });

/** One step of a Space: its lists mapped, and the steps it adds (a live Folder's archived lists). */
const runStep = async (
  ctx: SyncContext,
  teamId: string,
  space: Place,
  s: Step,
): Promise<{ records: SyncRecord[]; more: Step[] }> => {
  if (s.call === 'folders') {
    const { folders } = await clickupCall(ctx, {
      path: `/space/${encodeURIComponent(space.id)}/folder?archived=${s.archived}`,
      call: 'GET /space/{space_id}/folder',
      schema: foldersAnswer,
    });
    return {
      records: folders.flatMap((f) =>
        (f.lists ?? []).map((l) => mapList(l, { teamId, parent: f.name, archived: s.archived })),
      ),
      more: s.archived
        ? []
        : folders.map((f) => ({ call: 'folder_lists', folder: { id: f.id, name: f.name } })),
    };
  }
  const [path, call, parent, archived] =
    s.call === 'lists'
      ? [`/space/${encodeURIComponent(space.id)}/list`, 'GET /space/{space_id}/list', space.name, s.archived]
      : [
          `/folder/${encodeURIComponent(s.folder.id)}/list`,
          'GET /folder/{folder_id}/list',
          s.folder.name,
          true,
        ];
  const { lists } = await clickupCall(ctx, {
    path: `${path}?archived=${archived}`,
    call,
    schema: listsAnswer,
  });
  return { records: lists.map((l) => mapList(l, { teamId, parent, archived })), more: [] };
};

const nextTeam = (at: ListsCheckpoint): ListsCheckpoint | undefined =>
  at.team + 1 < at.teams.length ? { teams: at.teams, team: at.team + 1 } : undefined;

const fetchListsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const stored = listsCheckpoint.safeParse(ctx.checkpoint);
  const at: ListsCheckpoint = stored.success ? stored.data : { teams: await teamsOf(ctx), team: 0 };
  const teamId = at.teams[at.team];
  if (teamId === undefined) return { records: [] };

  let records: SyncRecord[] = [];
  let next: ListsCheckpoint | undefined;
  const [space, ...otherSpaces] = at.spaces ?? [];
  const [current, ...steps] = at.steps ?? [];
  if (space === undefined || current === undefined) {
    // The Workspace's first page: its Spaces, walked from the next page on.
    const { spaces } = await clickupCall(ctx, {
      path: `/team/${encodeURIComponent(teamId)}/space?archived=false`,
      call: 'GET /team/{team_id}/space',
      schema: spacesAnswer,
    });
    next = spaces.length > 0 ? { ...at, spaces, steps: spaceSteps() } : nextTeam(at);
  } else {
    const done = await runStep(ctx, teamId, space, current);
    records = done.records;
    const left = [...steps, ...done.more];
    if (left.length > 0) next = { ...at, steps: left };
    else if (otherSpaces.length > 0) next = { ...at, spaces: otherSpaces, steps: spaceSteps() };
    else next = nextTeam(at);
  }
  return next === undefined ? { records } : { records, next };
};

export const syncs: SyncsOf<typeof manifest> = {
  tasks: fetchTasksPage,
  lists: fetchListsPage,
};
