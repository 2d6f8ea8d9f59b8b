import * as z from 'zod/mini';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import { fetchList, type LinearList } from './graphql';
import type { manifest } from './manifest';
import {
  cycleList,
  issueId,
  issueList,
  mapCycle,
  mapIssue,
  mapProject,
  projectId,
  projectList,
} from './mapping';

/**
 * Linear's syncs: issues, projects and cycles, one connection page per `fetchPage`, Relay
 * cursors (`pageInfo.endCursor` is the checkpoint).
 * https://linear.app/developers/pagination
 * https://linear.app/developers/filtering
 *
 * - Ordered by `createdAt`, which edits during the run do not change (Linear's default too).
 * - `includeArchived: true`: what Linear archives on its own (issues done for months, old
 *   cycles) is still data; what a user deletes sits archived in the trash (`trashed: true`)
 *   for 30 days and comes back as `deletedIds`, so an incremental run sees deletions as well.
 * - `config.teams` narrows by team key (`ENG`).
 * - Incremental runs ask for what changed at or after `since` (`updatedAt`): an overlap with
 *   the previous run rather than a gap.
 */

type Filter = Record<string, unknown>;

type ListSync<S extends z.ZodMiniType> = {
  list: LinearList<S>;
  pageSize: number;
  /** The narrowing by config.teams (keys). */
  teams: (keys: string[]) => Filter;
  /** What changed at or after the instant (ISO). */
  since: (since: string) => Filter;
  map: (n: z.infer<S>) => SyncRecord;
  /** The record id of a node in the trash, or undefined when it is live. */
  trashed: (n: z.infer<S>) => string | undefined;
};

const checkpoint = z.object({ after: z.string() });

const sinceOf = (ctx: SyncContext): string | undefined => {
  if (ctx.mode !== 'incremental' || ctx.since === undefined) return undefined;
  const t = Date.parse(ctx.since);
  if (Number.isNaN(t)) throw new Error(`since is not an ISO instant: ${ctx.since}`);
  return new Date(t).toISOString();
};

export const teamsOf = (config: Record<string, unknown>): string[] =>
  Array.isArray(config.teams)
    ? config.teams.filter((t): t is string => typeof t === 'string' && t !== '')
    : [];

const filterOf = (
  sync: Pick<ListSync<z.ZodMiniType>, 'since' | 'teams'>,
  ctx: SyncContext,
): Filter | undefined => {
  const since = sinceOf(ctx);
  const teams = teamsOf(ctx.config);
  const parts = [
    ...(since !== undefined ? [sync.since(since)] : []),
    ...(teams.length > 0 ? [sync.teams(teams)] : []),
  ];
  return parts.length === 0 ? undefined : Object.assign({}, ...parts);
};

const listSync =
  <S extends z.ZodMiniType>(sync: ListSync<S>) =>
  async (ctx: SyncContext): Promise<SyncPage> => {
    const stored = checkpoint.safeParse(ctx.checkpoint);
    const filter = filterOf(sync, ctx);
    const page = await fetchList(ctx, sync.list, {
      first: sync.pageSize,
      after: stored.success ? stored.data.after : null,
      includeArchived: true,
      ...(filter ? { filter } : {}),
    });
    const records: SyncRecord[] = [];
    const deletedIds: string[] = [];
    for (const n of page.nodes) {
      const gone = sync.trashed(n);
      if (gone !== undefined) deletedIds.push(gone);
      else records.push(sync.map(n));
    }
    return {
      records,
      ...(deletedIds.length > 0 ? { deletedIds } : {}),
      ...(page.next !== null ? { next: { after: page.next } } : {}),
    };
  };

const updatedSince = (since: string): Filter => ({ updatedAt: { gte: since } });

const issues: ListSync<typeof issueList.node> = {
  list: issueList,
  pageSize: 100,
  teams: (keys) => ({ team: { key: { in: keys } } }),
  since: updatedSince,
  map: mapIssue,
  trashed: (n) => (n.trashed ? issueId(n) : undefined),
};

const projects: ListSync<typeof projectList.node> = {
  list: projectList,
  pageSize: 50,
  // A project belongs to one or more teams: any of them in config.teams keeps it.
  teams: (keys) => ({ accessibleTeams: { some: { key: { in: keys } } } }),
  since: updatedSince,
  map: mapProject,
  trashed: (n) => (n.trashed ? projectId(n) : undefined),
};

const cycles: ListSync<typeof cycleList.node> = {
  list: cycleList,
  pageSize: 50,
  teams: (keys) => ({ team: { key: { in: keys } } }),
  // A cycle starts and ends by the clock, which leaves updatedAt alone: those that started or
  // ended since are changed records too (their status moved).
  since: (since) => {
    const now = new Date().toISOString();
    return {
      or: [
        { updatedAt: { gte: since } },
        { startsAt: { gte: since, lte: now } },
        { endsAt: { gte: since, lte: now } },
      ],
    };
  },
  map: (n) => mapCycle(n),
  // Cycles are archived, never trashed: an archived cycle is kept, with status `archived`.
  trashed: () => undefined,
};

export const syncs: SyncsOf<typeof manifest> = {
  issues: listSync(issues),
  projects: listSync(projects),
  cycles: listSync(cycles),
};
