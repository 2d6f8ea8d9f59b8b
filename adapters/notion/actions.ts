import type { ActionContext, ActionsOf, InputOf, SyncRecord } from '../types';
import { notion } from './api';
import { blockLines, type manifest } from './manifest';
import { excerptOfLines, mapDatabase, mapPage, pageObject } from './mapping';
import { fetchExcerpt, search } from './search';

/**
 * Notion's tools: pages listed and searched through POST /v1/search (newest edit first,
 * `cursor` / `next_cursor` as Notion's `start_cursor` / `next_cursor`), one page read with
 * its excerpt, and page creation under a page or in a database.
 * https://developers.notion.com/reference/intro
 */

const DEFAULT_LIMIT = 25;
const item = (r: SyncRecord) => ({ id: r.id, ...r.data });

/**
 * A list of pages, mapped as the pages sync maps them but without `content_excerpt` (null):
 * the excerpt costs one more call a page, and a list is one call.
 */
const listPages = async (ctx: ActionContext, input: InputOf<typeof manifest, 'list_pages'>) => {
  const found = await search(ctx, {
    object: 'page',
    cursor: input.cursor,
    pageSize: input.limit ?? DEFAULT_LIMIT,
  });
  return { pages: found.pages.map((p) => item(mapPage(p, null))), next_cursor: found.next ?? null };
};

// https://developers.notion.com/reference/retrieve-a-page
const getPage = async (ctx: ActionContext, input: InputOf<typeof manifest, 'get_page'>) => {
  const page = await notion(
    ctx,
    { method: 'GET', path: `/v1/pages/${encodeURIComponent(input.page_id)}` },
    pageObject,
  );
  return { page: item(mapPage(page, await fetchExcerpt(ctx, page.id))) };
};

/** Notion takes at most 2,000 characters in one rich text object. https://developers.notion.com/reference/request-limits */
const TEXT_MAX = 2000;

/** Text as rich text objects of at most TEXT_MAX characters (code points, never half a pair). */
const richText = (text: string) => {
  const chars = Array.from(text);
  const out: { type: 'text'; text: { content: string } }[] = [];
  for (let i = 0; i < chars.length; i += TEXT_MAX) {
    out.push({ type: 'text', text: { content: chars.slice(i, i + TEXT_MAX).join('') } });
  }
  return out;
};

/** The markers a line may start with, and the block type each makes. */
const MARKERS: readonly [RegExp, string][] = [
  [/^###\s+/, 'heading_3'],
  [/^##\s+/, 'heading_2'],
  [/^#\s+/, 'heading_1'],
  [/^[-*]\s+/, 'bulleted_list_item'],
  [/^\d+[.)]\s+/, 'numbered_list_item'],
];

/**
 * One block a non-empty line: `# `, `## `, `### ` headings, `- ` / `* ` bullets, `1. `
 * numbered items, anything else a paragraph. Not Markdown: no inline marks, no nesting.
 * https://developers.notion.com/reference/block
 */
export const blocksOf = (text: string) =>
  blockLines(text).map((line) => {
    const [marker, type] = MARKERS.find(([m]) => m.test(line)) ?? [undefined, 'paragraph'];
    const content = marker ? line.replace(marker, '') : line;
    return { content, block: { object: 'block' as const, type, [type]: { rich_text: richText(content) } } };
  });

/**
 * POST /v1/pages. The title goes under the property id `title`, which names the title
 * property of every page: a database's, whatever it is called, and a plain page's.
 * https://developers.notion.com/reference/post-page
 */
const createPage = async (ctx: ActionContext, input: InputOf<typeof manifest, 'create_page'>) => {
  const lines = blocksOf(input.text ?? '');
  const children = lines.map((l) => l.block);
  const parent =
    input.parent_type === 'database' ? { database_id: input.parent_id } : { page_id: input.parent_id };
  const page = await notion(
    ctx,
    {
      method: 'POST',
      path: '/v1/pages',
      body: {
        parent,
        properties: { title: { title: richText(input.title) } },
        ...(children.length > 0 ? { children } : {}),
      },
    },
    pageObject,
  );
  // The excerpt is what was just written: no call to read it back.
  return { page: item(mapPage(page, excerptOfLines(lines.map((l) => l.content)))) };
};

/** Pages as `document`s and databases as `project`s, in Notion's order, each naming its model. */
const searchAll = async (ctx: ActionContext, input: InputOf<typeof manifest, 'search'>) => {
  const found = await search(ctx, {
    query: input.query,
    cursor: input.cursor,
    pageSize: input.limit ?? DEFAULT_LIMIT,
  });
  return {
    results: found.results.map((r) =>
      r.object === 'page'
        ? { model: 'document', ...item(mapPage(r, null)) }
        : { model: 'project', ...item(mapDatabase(r)) },
    ),
    next_cursor: found.next ?? null,
  };
};

export const actions: ActionsOf<typeof manifest> = {
  list_pages: listPages,
  get_page: getPage,
  create_page: createPage,
  search: searchAll,
};
