import * as z from 'zod/mini';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { mapDatabase, mapPage } from './mapping';
import { fetchExcerpt, search } from './search';

/**
 * Notion's syncs: pages (→ document) and databases (→ project), each one page of POST
 * /v1/search filtered to its object, newest edit first; `next_cursor` is the checkpoint.
 * https://developers.notion.com/reference/post-search
 *
 * - Incremental runs: search has no "edited since" filter, only its sort by
 *   `last_edited_time`, newest first. So a run walks from the newest and stops at the first
 *   result edited before `since`: everything after it is older still, so unchanged. A page
 *   edited during the run moves to the front, behind the walk; the engine's `since` overlaps
 *   the previous run, so the next run finds it.
 * - Notion writes `last_edited_time` to the minute (seconds are zero), so `since` is taken
 *   down to its minute before comparing: a page edited at 12:00:45 reads 12:00:00 and must
 *   not fall before a `since` of 12:00:30.
 * - Deletions: search lists nothing in the trash; a full run marks what it no longer lists
 *   deleted, and the `page.deleted` / `database.deleted` webhooks delete at once.
 * - Pages: one more call each for the excerpt (GET /v1/blocks/{id}/children, first page
 *   only). Notion allows three requests a second on average: pages of 20 keep a page of the
 *   sync at 21 calls, and a 429 hands the run back to the queue for Retry-After, to resume at
 *   the same cursor (never a sleep in the worker).
 *   https://developers.notion.com/reference/request-limits
 */

const PAGES_PER_PAGE = 20;
const DATABASES_PER_PAGE = 100;

const checkpoint = z.object({ cursor: z.string().check(z.minLength(1)) });

/** `since` down to its minute (ms), for incremental runs; undefined for full ones. */
export const sinceMinute = (ctx: Pick<SyncContext, 'mode' | 'since'>): number | undefined => {
  if (ctx.mode !== 'incremental' || ctx.since === undefined) return undefined;
  const t = Date.parse(ctx.since);
  if (Number.isNaN(t)) throw new Error(`since is not an ISO instant: ${ctx.since}`);
  return Math.floor(t / 60_000) * 60_000;
};

/**
 * The results edited at or after `since` (all of them without one), and whether the walk
 * reached an older one: then the listing ends here.
 */
const fresh = <T extends { last_edited_time: string }>(items: T[], since: number | undefined) => {
  if (since === undefined) return { kept: items, older: false };
  const i = items.findIndex((x) => Date.parse(x.last_edited_time) < since);
  return i === -1 ? { kept: items, older: false } : { kept: items.slice(0, i), older: true };
};

const pages = async (ctx: SyncContext): Promise<SyncPage> => {
  const from = checkpoint.safeParse(ctx.checkpoint).data?.cursor;
  const found = await search(ctx, { object: 'page', cursor: from, pageSize: PAGES_PER_PAGE });
  const { kept, older } = fresh(found.pages, sinceMinute(ctx));
  const records: SyncRecord[] = [];
  // One after the other: in parallel they would spend Notion's allowance in a burst.
  for (const p of kept) records.push(mapPage(p, await fetchExcerpt(ctx, p.id)));
  return { records, ...(found.next && !older ? { next: { cursor: found.next } } : {}) };
};

const databases = async (ctx: SyncContext): Promise<SyncPage> => {
  const from = checkpoint.safeParse(ctx.checkpoint).data?.cursor;
  const found = await search(ctx, { object: 'database', cursor: from, pageSize: DATABASES_PER_PAGE });
  const { kept, older } = fresh(found.databases, sinceMinute(ctx));
  return {
    records: kept.map(mapDatabase),
    ...(found.next && !older ? { next: { cursor: found.next } } : {}),
  };
};

export const syncs: SyncsOf<typeof manifest> = { pages, databases };
