import * as z from 'zod/mini';
import { list, type NotionCall, nextCursor, notFound, notion } from './api';
import { type Block, block, databaseObject, excerptOf, pageObject } from './mapping';

/**
 * Notion's search (POST /v1/search): the one way to list what is shared with the integration,
 * pages and databases alike, filtered to one of them, sorted by `last_edited_time` (the only
 * sort it has), paged by `start_cursor` / `next_cursor`.
 * https://developers.notion.com/reference/post-search
 */

/** Results of the other kind (or a kind a later API adds) are skipped, not refused. */
const result = z.union([pageObject, databaseObject, z.looseObject({ object: z.string(), id: z.string() })]);
const searchAnswer = list(result);

export type SearchPage = {
  pages: z.infer<typeof pageObject>[];
  databases: z.infer<typeof databaseObject>[];
  /** Both kinds in the order Notion answered them. */
  results: (z.infer<typeof pageObject> | z.infer<typeof databaseObject>)[];
  next?: string;
};

export const search = async (
  ctx: NotionCall,
  o: { object?: 'page' | 'database'; query?: string; cursor?: string | undefined; pageSize: number },
): Promise<SearchPage> => {
  const answer = await notion(
    ctx,
    {
      method: 'POST',
      path: '/v1/search',
      body: {
        ...(o.query !== undefined ? { query: o.query } : {}),
        ...(o.object ? { filter: { property: 'object', value: o.object } } : {}),
        sort: { direction: 'descending', timestamp: 'last_edited_time' },
        page_size: o.pageSize,
        ...(o.cursor ? { start_cursor: o.cursor } : {}),
      },
    },
    searchAnswer,
  );
  const out: SearchPage = { pages: [], databases: [], results: [] };
  for (const r of answer.results) {
    const p = pageObject.safeParse(r);
    if (p.success) {
      out.pages.push(p.data);
      out.results.push(p.data);
      continue;
    }
    const d = databaseObject.safeParse(r);
    if (d.success) {
      out.databases.push(d.data);
      out.results.push(d.data);
    }
  }
  const next = nextCursor(answer);
  return next ? { ...out, next } : out;
};

/**
 * How many of a page's first blocks are read for its excerpt: one call, one page of children,
 * enough for the 1,000 characters of `content_excerpt` in most pages.
 */
const EXCERPT_BLOCKS = 25;

/**
 * The first text of a page: GET /v1/blocks/{id}/children, the first page only (one call a
 * page, for Notion's rate limit of three requests a second on average). A page deleted or
 * unshared between the listing and this call (404 `object_not_found`) has no excerpt rather
 * than failing the run: the next run no longer lists it.
 * https://developers.notion.com/reference/get-block-children
 */
export const fetchExcerpt = async (ctx: NotionCall, pageId: string): Promise<string | null> => {
  let blocks: Block[];
  try {
    blocks = (
      await notion(
        ctx,
        {
          method: 'GET',
          path: `/v1/blocks/${encodeURIComponent(pageId)}/children`,
          query: { page_size: String(EXCERPT_BLOCKS) },
        },
        list(block),
      )
    ).results;
  } catch (e) {
    if (notFound(e)) return null;
    throw e;
  }
  return excerptOf(blocks);
};
