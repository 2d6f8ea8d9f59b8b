import * as z from 'zod/mini';
import { configuredProjects } from '../azure-devops/rest';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { fetchProjectsPage } from './projects';
import { BATCH, literal, mapWorkItems, queryIds, readBatch } from './work-items';

/**
 * Azure Boards' syncs. Work items: WIQL gives ids only (and at most 20,000 an answer), so each
 * page is one WIQL query for the next 200 ids after the last one read (`[System.Id] > n`, id
 * order: nothing changed meanwhile is skipped or repeated), then one batch read of those 200.
 * Incremental runs add `[System.ChangedDate] >= since`. Projects: the listing, 100 a page, by
 * continuation token.
 */

const workItemsCheckpoint = z.object({ after: z.int().check(z.minimum(0)) });
const projectsCheckpoint = z.object({ continuationToken: z.string() });

/** Escaped for WIQL: `[System.TeamProject] IN ('A', 'B')`. */
const projectFilter = (projects: string[]): string[] =>
  projects.length > 0 ? [`[System.TeamProject] IN (${projects.map(literal).join(', ')})`] : [];

const fetchWorkItemsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const after = workItemsCheckpoint.safeParse(ctx.checkpoint).data?.after ?? 0;
  const where = [
    `[System.Id] > ${after}`,
    ...projectFilter(configuredProjects(ctx)),
    ...(ctx.mode === 'incremental' && ctx.since !== undefined
      ? [`[System.ChangedDate] >= ${literal(ctx.since)}`]
      : []),
  ];
  const ids = await queryIds(ctx, { where, top: BATCH });
  const records = await mapWorkItems(ctx, await readBatch(ctx, ids));
  const last = ids.at(-1);
  return ids.length === BATCH && last !== undefined ? { records, next: { after: last } } : { records };
};

const projects = async (ctx: SyncContext): Promise<SyncPage> => {
  const token = projectsCheckpoint.safeParse(ctx.checkpoint).data?.continuationToken;
  const page = await fetchProjectsPage(ctx, token);
  return page.next === undefined
    ? { records: page.records }
    : { records: page.records, next: { continuationToken: page.next } };
};

export const syncs: SyncsOf<typeof manifest> = {
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/wiql/query-by-wiql?view=azure-devops-rest-7.1
  work_items: fetchWorkItemsPage,
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/core/projects/list?view=azure-devops-rest-7.1
  projects,
};
