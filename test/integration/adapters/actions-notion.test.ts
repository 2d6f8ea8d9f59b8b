import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { type NotionFake, startNotionFake } from '../../fakes/notion';
import type { Json } from '../harness';
import { runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

let n: NotionFake;
let notes: string[];

beforeAll(async () => {
  n = await startNotionFake();
  notes = n.seedPages(30);
});
afterAll(() => n.stop());

const call = () => ({ credentials: n.valid, baseUrl: n.apiBaseUrl });
const run = (action: string, input: Record<string, unknown>): Promise<Json> =>
  runAction('notion', action, call(), input);

describe('notion list_pages', () => {
  it('pages through every page with next_cursor, newest edit first, without excerpts', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r: Json = await run('list_pages', { limit: 12, ...(cursor ? { cursor } : {}) });
      expect(r.pages.length).toBeLessThanOrEqual(12);
      for (const p of r.pages) expect(p.content_excerpt).toBeNull();
      seen.push(...r.pages.map((p: Json) => p.id));
      cursor = r.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(n.listedPageIds().map((id) => `notion_page_${id}`));
    expect(n.requests.filter((r) => r.path.includes('/children'))).toHaveLength(0);
  });
});

describe('notion get_page', () => {
  it('reads a page and its excerpt: two calls', async () => {
    const before = n.requests.length;
    const r = await run('get_page', { page_id: (notes[3] as string).replaceAll('-', '') });
    expect(r.page).toMatchObject({
      id: `notion_page_${notes[3]}`,
      parent: n.rootPageId,
      content_excerpt: expect.stringMatching(/^Body of \d+\.\nPoint \d+$/),
    });
    expect(
      n.requests.slice(before).map((x) => `${x.method} ${x.path.replace(/[0-9a-f-]{32,36}/, '{id}')}`),
    ).toEqual(['GET /v1/pages/{id}', 'GET /v1/blocks/{id}/children']);
  });

  it('a page it cannot see is refused in Notion’s words (object_not_found)', async () => {
    const e = await expectProviderError(
      run('get_page', { page_id: '0f0e0d0c-0b0a-4909-8807-060504030201' }),
      'rejected',
      { message: /^Could not find page with ID: 0f0e0d0c-0b0a-4909-8807-060504030201/, status: 404 },
    );
    expect(e.code).toBe('object_not_found');
  });
});

describe('notion create_page', () => {
  it('creates a page under a page: a title, and one block a line', async () => {
    const r = await run('create_page', {
      parent_id: n.rootPageId,
      title: 'Retro',
      text: '## Went well\n* Shipping\n\n2) Fewer pages\nPlain words',
    });
    const id = String(r.page.id).replace('notion_page_', '');
    expect(r.page).toMatchObject({ title: 'Retro', parent: n.rootPageId });
    expect(n.blocks(id).map((b) => b.type)).toEqual([
      'heading_2',
      'bulleted_list_item',
      'numbered_list_item',
      'paragraph',
    ]);
    expect(r.page.content_excerpt).toBe('Went well\nShipping\nFewer pages\nPlain words');
  });

  it('splits a line longer than 2,000 characters into rich text objects Notion takes', async () => {
    const r = await run('create_page', { parent_id: n.rootPageId, title: 'Long', text: 'y'.repeat(4500) });
    const id = String(r.page.id).replace('notion_page_', '');
    const [b] = n.blocks(id) as Json[];
    expect(b.paragraph.rich_text.map((t: Json) => t.plain_text.length)).toEqual([2000, 2000, 500]);
  });

  it('refuses more than 100 lines before calling Notion (its limit on children)', async () => {
    const before = n.requests.length;
    await expect(
      run('create_page', { parent_id: n.rootPageId, title: 'Too long', text: 'line\n'.repeat(101) }),
    ).rejects.toThrow(/At most 100 non-empty lines/);
    expect(n.requests.length).toBe(before);
  });

  it('a parent it cannot see is refused in Notion’s words', async () => {
    await expectProviderError(
      run('create_page', { parent_id: n.databaseId, parent_type: 'page', title: 'Wrong kind' }),
      'rejected',
      { message: /^Could not find page with ID/, status: 404 },
    );
  });

  it('is a write; its project field is the parent', async () => {
    const a = (await loadAdapter('notion'))?.actions.create_page;
    expect(a?.writes).toBe(true);
    expect(a?.projectField).toBe('parent_id');
  });
});

describe('notion search', () => {
  it('finds pages and databases by title, each naming its model', async () => {
    const r = await run('search', { query: 'TASKS' });
    expect(r.results).toEqual([
      expect.objectContaining({ model: 'project', id: `notion_database_${n.databaseId}`, kind: 'database' }),
    ]);
    const body = n.searches().at(-1);
    expect(body).toMatchObject({ query: 'TASKS' });
    expect(body?.filter).toBeUndefined();
  });

  it('refuses an empty query by its schema', async () => {
    await expect(run('search', { query: '' })).rejects.toThrow(/input refused/);
  });
});
