import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NotionFake, startNotionFake } from '../../fakes/notion';
import type { Json } from '../harness';
import { expectValid, fetchPage, idsOf, runSync } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let n: NotionFake;
let notes: string[];
let rows: string[];

beforeAll(async () => {
  n = await startNotionFake();
  notes = n.seedPages(45);
  rows = n.seedPages(7, { inDatabase: true });
});
afterAll(() => n.stop());

const call = () => ({ credentials: n.valid, baseUrl: n.apiBaseUrl });
const childCalls = () => n.requests.filter((r) => /^\/v1\/blocks\/[^/]+\/children$/.test(r.path)).length;
const searchCalls = () => n.requests.filter((r) => r.path === '/v1/search').length;

describe('notion pages sync', () => {
  it('lists every shared page over several search pages, each a valid document with its excerpt', async () => {
    const before = { children: childCalls(), searches: searchCalls() };
    const run = await runSync('notion', 'pages', call());
    expectValid(run.records, 'document');
    expect(idsOf(run.records)).toEqual(
      n
        .listedPageIds()
        .map((id) => `notion_page_${id}`)
        .sort(),
    );
    // 53 pages at 20 a page: 3 search pages, and one children call a page — no more.
    expect(run.pages).toBe(3);
    expect(searchCalls() - before.searches).toBe(3);
    expect(childCalls() - before.children).toBe(run.records.length);
    // Every search: pages only, newest edit first, 20 a page.
    for (const s of n.searches().slice(-3)) {
      expect(s).toMatchObject({
        filter: { property: 'object', value: 'page' },
        sort: { direction: 'descending', timestamp: 'last_edited_time' },
        page_size: 20,
      });
    }
    expect(run.checkpoints).toEqual([{ cursor: expect.any(String) }, { cursor: expect.any(String) }]);
  });

  it('maps title, parent, author, dates and the excerpt of a page and of a database row', async () => {
    const run = await runSync('notion', 'pages', call());
    const note = run.records.find((r) => r.id === `notion_page_${notes[0]}`);
    const fake = n.page(notes[0] as string) as Json;
    expect(note?.data).toEqual({
      title: fake.properties.title.title[0].plain_text,
      kind: 'page',
      url: fake.url,
      parent: n.rootPageId,
      author: fake.created_by.id,
      content_excerpt: expect.stringMatching(/^Body of \d+\.\nPoint \d+$/),
      created_at: fake.created_time,
      last_edited_at: fake.last_edited_time,
    });
    // A database row: its title is the database's title property (`Name`), its parent the database.
    const row = run.records.find((r) => r.id === `notion_page_${rows[0]}`);
    expect(row?.data).toMatchObject({ title: expect.stringMatching(/^Task \d+$/), parent: n.databaseId });
    // The root: heading and paragraph text, not the divider or the child database's block.
    const root = run.records.find((r) => r.id === `notion_page_${n.rootPageId}`);
    expect(root?.data).toMatchObject({
      parent: null,
      content_excerpt: 'Engineering handbook\nHow we build, ship and run things.\nTasks',
    });
    // An empty page has no excerpt.
    expect(run.records.some((r) => r.data.content_excerpt === null)).toBe(true);
  });

  it('cuts the excerpt at 1,000 characters', async () => {
    const [long] = n.seedPages(1, { text: `é${'x'.repeat(1500)}` });
    const run = await runSync('notion', 'pages', call());
    const rec = run.records.find((r) => r.id === `notion_page_${long}`);
    expect(Array.from(String(rec?.data.content_excerpt)).length).toBe(1000);
    expect(String(rec?.data.content_excerpt).startsWith('éxxx')).toBe(true);
  });

  it('incremental: walks newest first and stops at the first page edited before since', async () => {
    const [edited] = notes.slice(10, 11) as [string];
    n.editPage(edited, { title: 'Renamed' });
    const before = { children: childCalls(), searches: searchCalls() };
    // Since 30 s ago: Notion writes edit times to the minute, so the page edited now reads as
    // this minute, and the since is taken down to its minute too.
    const since = new Date(Date.now() - 30_000).toISOString();
    const run = await runSync('notion', 'pages', { ...call(), since });
    expect(run.records.map((r) => r.id)).toEqual([`notion_page_${edited}`]);
    expect(run.records[0]?.data.title).toBe('Renamed');
    // One search page, stopped early; one excerpt call, for the one changed page.
    expect(searchCalls() - before.searches).toBe(1);
    expect(childCalls() - before.children).toBe(1);
    expect(run.pages).toBe(1);
  });

  it('a full run no longer lists a page moved to the trash', async () => {
    const [gone] = notes.slice(20, 21) as [string];
    n.trashPage(gone);
    const run = await runSync('notion', 'pages', call());
    expect(run.records.map((r) => r.id)).not.toContain(`notion_page_${gone}`);
  });

  it('hands a 429 back with Retry-After, and the same checkpoint then resumes', async () => {
    const first = await fetchPage('notion', 'pages', call());
    n.failNext('rate_limit', 9);
    const e = await expectProviderError(
      fetchPage('notion', 'pages', { ...call(), checkpoint: first.next }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(9);
    const again = await fetchPage('notion', 'pages', { ...call(), checkpoint: first.next });
    expect(again.records.length).toBe(20);
  });

  it('a refusal is rejected in Notion’s words, a 5xx unreachable', async () => {
    n.failNext('refuse');
    await expectProviderError(fetchPage('notion', 'pages', call()), 'rejected', {
      message: /^Could not find page with ID/,
      status: 404,
    });
    n.failNext('down');
    await expectProviderError(fetchPage('notion', 'pages', call()), 'unreachable');
  });
});

describe('notion databases sync', () => {
  it('lists shared databases as projects of kind database; the one in the trash is not listed', async () => {
    const run = await runSync('notion', 'databases', call());
    expectValid(run.records, 'project');
    expect(run.records).toEqual([
      {
        id: `notion_database_${n.databaseId}`,
        data: expect.objectContaining({
          name: 'Tasks',
          kind: 'database',
          description: 'What the team works on',
          status: 'active',
          parent: n.rootPageId,
        }),
      },
    ]);
    expect(n.searches().at(-1)).toMatchObject({ filter: { property: 'object', value: 'database' } });
  });

  it('incremental: nothing edited since means no records', async () => {
    const run = await runSync('notion', 'databases', { ...call(), since: new Date().toISOString() });
    expect(run.records).toEqual([]);
  });
});
