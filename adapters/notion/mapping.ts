import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type Document, document, type Project, project } from '../models';
import type { SyncRecord } from '../types';

/**
 * Notion's pages and databases (API version 2022-06-28) as the unified models: a page is a
 * `document` (kind `page`), a database a `project` (kind `database`). Record ids are
 * `notion_page_<id>` and `notion_database_<id>`, the id as Notion writes it (with dashes).
 * https://developers.notion.com/reference/page
 * https://developers.notion.com/reference/database
 */

/** Rich text: every kind (text, mention, equation) carries its `plain_text`. https://developers.notion.com/reference/rich-text */
export const richText = z.array(z.object({ plain_text: z.string() }));
export const plainText = (rt: z.infer<typeof richText>): string => rt.map((t) => t.plain_text).join('');

/**
 * Where a page or database sits. https://developers.notion.com/reference/parent-object
 * `workspace` (top level), `page_id`, `database_id` or `block_id` (inside a block of a page).
 */
const parent = z.looseObject({
  type: z.string(),
  page_id: z.optional(z.string()),
  database_id: z.optional(z.string()),
  block_id: z.optional(z.string()),
});

const userRef = z.looseObject({ id: z.string() });

/**
 * A page. Its title is the one property of type `title`, whatever the database named it
 * (`Name`, `Task`…); a page outside a database has it as `title`.
 */
export const pageObject = z.looseObject({
  object: z.literal('page'),
  id: z.string(),
  created_time: z.string(),
  last_edited_time: z.string(),
  created_by: z.optional(userRef),
  parent,
  archived: z.optional(z.boolean()),
  in_trash: z.optional(z.boolean()),
  url: z.optional(z.nullable(z.string())),
  properties: z.record(z.string(), z.looseObject({ type: z.string(), title: z.optional(richText) })),
});
export type PageObject = z.infer<typeof pageObject>;

export const databaseObject = z.looseObject({
  object: z.literal('database'),
  id: z.string(),
  created_time: z.string(),
  last_edited_time: z.string(),
  title: richText,
  description: z.optional(richText),
  parent,
  archived: z.optional(z.boolean()),
  in_trash: z.optional(z.boolean()),
  url: z.optional(z.nullable(z.string())),
});
export type DatabaseObject = z.infer<typeof databaseObject>;

/**
 * A block as its children list answers it: its type, and under that type's name its content;
 * the text blocks carry `rich_text`, a child page its `title`.
 * https://developers.notion.com/reference/block
 */
export const block = z.looseObject({ object: z.literal('block'), id: z.string(), type: z.string() });
export type Block = z.infer<typeof block>;
const blockText = z.object({ rich_text: z.optional(richText), title: z.optional(z.string()) });

export const pageId = (id: string) => `notion_page_${id}`;
export const databaseId = (id: string) => `notion_database_${id}`;

/** At most this much text goes into `content_excerpt` (adapters/models.ts). */
export const EXCERPT_MAX = 1000;

/** The text of blocks, one line each, cut at EXCERPT_MAX characters; null when there is none. */
export const excerptOf = (blocks: readonly Block[]): string | null => {
  const lines: string[] = [];
  for (const b of blocks) {
    const content = blockText.safeParse((b as Record<string, unknown>)[b.type]).data;
    const text = content?.rich_text ? plainText(content.rich_text) : (content?.title ?? '');
    if (text.trim() !== '') lines.push(text);
  }
  return excerptOfLines(lines);
};

/** Lines of text as `content_excerpt`: joined, cut at EXCERPT_MAX characters; null when empty. */
export const excerptOfLines = (lines: readonly string[]): string | null => {
  const all = lines
    .filter((l) => l.trim() !== '')
    .join('\n')
    .trim();
  // Cut by code points, so a surrogate pair is never split in half.
  return all === '' ? null : Array.from(all).slice(0, EXCERPT_MAX).join('');
};

const isoOf = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Notion answered an invalid ${what}.`);
  return new Date(t).toISOString();
};

/** The id of what it sits in; null at the top of the workspace. */
const parentOf = (p: z.infer<typeof parent>): string | null =>
  p.page_id ?? p.database_id ?? p.block_id ?? null;

export const pageTitle = (p: PageObject): string => {
  const title = Object.values(p.properties).find((v) => v.type === 'title');
  return title?.title ? plainText(title.title) : '';
};

/** Parsed against the model before it leaves the adapter: a mapping slip is ours, said as such. */
const modelled = <T>(schema: z.ZodMiniType<T>, data: T, what: string): T => {
  const r = schema.safeParse(data);
  if (!r.success) throw new Error(`notion ${what} does not fit its model: ${JSON.stringify(r.error.issues)}`);
  return r.data;
};

export const mapPage = (p: PageObject, excerpt: string | null): SyncRecord => ({
  id: pageId(p.id),
  data: modelled<Document>(
    document,
    {
      title: pageTitle(p),
      kind: 'page',
      url: p.url ?? null,
      parent: parentOf(p.parent),
      // Notion names the author by user id only; names take a users call each.
      author: p.created_by?.id ?? null,
      content_excerpt: excerpt,
      created_at: isoOf(p.created_time, 'created_time'),
      last_edited_at: isoOf(p.last_edited_time, 'last_edited_time'),
    },
    `page ${p.id}`,
  ),
});

export const mapDatabase = (d: DatabaseObject): SyncRecord => {
  const description = d.description ? plainText(d.description) : '';
  return {
    id: databaseId(d.id),
    data: modelled<Project>(
      project,
      {
        name: plainText(d.title),
        kind: 'database',
        key: null,
        description: description === '' ? null : description,
        // Notion databases have no status of their own: live, or in the trash.
        status: d.archived || d.in_trash ? 'archived' : 'active',
        raw_status: null,
        url: d.url ?? null,
        parent: parentOf(d.parent),
        starts_at: null,
        ends_at: null,
        created_at: isoOf(d.created_time, 'created_time'),
        updated_at: isoOf(d.last_edited_time, 'last_edited_time'),
      },
      `database ${d.id}`,
    ),
  };
};
