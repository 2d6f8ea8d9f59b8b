import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type Project, project } from '../models';
import { parseAnswer } from '../parse';
import type { ActionContext, SyncPage, SyncRecord } from '../types';
import { apiBase, authorization, failure } from './rest';

/**
 * Jira Software sprints as `project` records of kind `sprint`, from the Agile REST API: the
 * boards the connection can see (`GET /rest/agile/1.0/board`, offset paging with `startAt`,
 * `maxResults`, `isLast`), then each board's sprints (`GET /rest/agile/1.0/board/{id}/sprint`,
 * paged alike). One request a page; the checkpoint keeps the page of boards being walked
 * (≤ 50 ids and names), the board being read and the offset in its sprints.
 * https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-get
 * https://developer.atlassian.com/cloud/jira/software/rest/api-group-board/#api-rest-agile-1-0-board-boardid-sprint-get
 *
 * A sprint shows on every board whose filter covers its issues, but it belongs to the board
 * it was created on (`originBoardId`): a board lists it, here, only when it is that board,
 * so a sprint is one record whose `parent` is its own board's name. (A sprint whose board
 * the connection can't see is left out: its board's name is unknown.) Jira offers no filter
 * by change, so every run is full.
 */

const PAGE_SIZE = 50;

const board = z.object({ id: z.number(), name: z.string(), type: z.optional(z.string()) });
const boardPage = z.object({
  values: z.array(board),
  startAt: z.optional(z.number()),
  isLast: z.optional(z.boolean()),
});

export const sprint = z.object({
  id: z.number(),
  self: z.optional(z.string()),
  name: z.string(),
  state: z.string(),
  goal: z.optional(z.nullable(z.string())),
  startDate: z.optional(z.nullable(z.string())),
  endDate: z.optional(z.nullable(z.string())),
  completeDate: z.optional(z.nullable(z.string())),
  createdDate: z.optional(z.nullable(z.string())),
  originBoardId: z.optional(z.number()),
});
export type Sprint = z.infer<typeof sprint>;
const sprintPage = z.object({
  values: z.array(sprint),
  startAt: z.optional(z.number()),
  isLast: z.optional(z.boolean()),
});

/** Where a run stands: the page of boards, the board being read, the next offsets. */
export const sprintsPosition = z.object({
  boards: z.array(z.object({ id: z.int(), name: z.string() })),
  index: z.int().check(z.minimum(0)),
  sprintsAt: z.int().check(z.minimum(0)),
  boardsNext: z.optional(z.int().check(z.minimum(0))),
});
type Position = z.infer<typeof sprintsPosition>;

export const sprintRecordId = (id: number | string): string => `jira_sprint_${id}`;

/** Jira's sprint states: future (planned), active, closed (completed). */
const STATUS: Record<string, Project['status']> = {
  future: 'planned',
  active: 'active',
  closed: 'completed',
};

const instant = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/**
 * A sprint as a `project` of kind `sprint`: its goal as the description, its board's name as
 * the parent (null when unknown: a webhook names only the board's id), the planned start and
 * end — or, once closed, the day it was completed as its end. Sprints have no URL of their own.
 */
export const mapSprint = (s: Sprint, boardName: string | null): SyncRecord => {
  const status = STATUS[s.state.toLowerCase()];
  if (!status) {
    throw new ProviderError('unreachable', `Jira answered sprint ${s.id} in an unknown state: ${s.state}.`);
  }
  const data: Project = {
    name: s.name,
    kind: 'sprint',
    key: null,
    description: s.goal?.trim() || null,
    status,
    raw_status: s.state,
    url: null,
    parent: boardName,
    starts_at: instant(s.startDate),
    ends_at: instant(s.completeDate) ?? instant(s.endDate),
    created_at: instant(s.createdDate),
    updated_at: null,
  };
  const r = project.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Jira answered sprint ${s.id} with data that does not map to a project.`,
    );
  }
  return { id: sprintRecordId(s.id), data: r.data };
};

const get = (ctx: ActionContext, path: string) =>
  ctx.http(`${apiBase(ctx)}${path}`, { headers: { authorization: authorization(ctx) } });

const paging = (startAt: number) =>
  new URLSearchParams({ startAt: String(startAt), maxResults: String(PAGE_SIZE) });

/** A page of boards: the ones that can hold sprints (a kanban board has none to list). */
const listBoards = async (ctx: ActionContext, startAt: number) => {
  const res = await get(ctx, `/rest/agile/1.0/board?${paging(startAt)}`);
  if (res.status !== 200) throw failure(res);
  const page = parseAnswer('Jira', boardPage, res, 'GET /rest/agile/1.0/board');
  const done = page.isLast ?? page.values.length < PAGE_SIZE;
  return {
    boards: page.values.filter((b) => b.type !== 'kanban').map(({ id, name }) => ({ id, name })),
    next: done ? undefined : startAt + page.values.length,
  };
};

/** One page of the sprints sync, from a position (none: the start). */
export const fetchSprints = async (ctx: ActionContext, at: Position | undefined): Promise<SyncPage> => {
  let state = at;
  // At most one board listing a page: a listing page of kanban boards only is an empty page.
  if (state === undefined || (state.index >= state.boards.length && state.boardsNext !== undefined)) {
    const listed = await listBoards(ctx, state?.boardsNext ?? 0);
    state = {
      boards: listed.boards,
      index: 0,
      sprintsAt: 0,
      ...(listed.next !== undefined ? { boardsNext: listed.next } : {}),
    };
  }
  const b = state.boards[state.index];
  if (b === undefined) return state.boardsNext === undefined ? { records: [] } : { records: [], next: state };

  const res = await get(ctx, `/rest/agile/1.0/board/${b.id}/sprint?${paging(state.sprintsAt)}`);
  let records: SyncRecord[] = [];
  let more = false;
  // 404: the board went away since it was listed. 400: a board that does not support
  // sprints ("The board does not support sprints": a team-managed board with them off).
  if (res.status !== 404 && res.status !== 400) {
    if (res.status !== 200) throw failure(res);
    const page = parseAnswer('Jira', sprintPage, res, 'GET /rest/agile/1.0/board/{boardId}/sprint');
    records = page.values
      .filter((s) => s.originBoardId === undefined || s.originBoardId === b.id)
      .map((s) => mapSprint(s, b.name));
    more = !(page.isLast ?? page.values.length < PAGE_SIZE);
    if (more) state = { ...state, sprintsAt: state.sprintsAt + page.values.length };
  }
  const next: Position = more ? state : { ...state, index: state.index + 1, sprintsAt: 0 };
  const done = next.index >= next.boards.length && next.boardsNext === undefined;
  return done ? { records } : { records, next };
};
