import { expect } from 'vitest';
import { notionRefusal, startNotionFake } from '../../fakes/notion';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Notion end to end: an internal integration secret, pages over several search pages (each
 * with its excerpt read from its first blocks), database rows among them, the databases, and
 * a page created in a database seen at the fake.
 */
const scenario: ProviderScenario = {
  provider: 'notion',
  async start() {
    const n = await startNotionFake();
    const notes = n.seedPages(45);
    n.seedPages(12, { inDatabase: true });
    const target = notes[0] as string;

    return {
      stop: () => n.stop(),
      integration: { provider: 'notion', endpoints: { api_base_url: n.apiBaseUrl } },
      connection: { credentials: n.valid },
      syncs: {
        // The wiki root, 45 notes and 12 database rows; the page in the trash is not listed.
        pages: { model: 'document', count: n.listedPageIds().length },
        // Tasks; the database in the trash is not listed.
        databases: { model: 'project', count: n.listedDatabaseIds().length },
      },
      actions: {
        list_pages: {
          input: { limit: 10 },
          check(data) {
            expect(data.pages).toHaveLength(10);
            expect(typeof data.next_cursor).toBe('string');
            for (const p of data.pages as Json[]) expect(p).toMatchObject({ kind: 'page' });
          },
        },
        get_page: {
          input: { page_id: target },
          check(data) {
            expect(data.page).toMatchObject({
              id: `notion_page_${target}`,
              kind: 'page',
              parent: n.rootPageId,
              content_excerpt: expect.stringMatching(/^Body of \d+\.\nPoint \d+$/),
            });
          },
        },
        create_page: {
          input: {
            parent_id: n.databaseId,
            parent_type: 'database',
            title: 'Launch checklist',
            text: '# Before\n- Write the docs\n1. Ship it\nTell the team.',
          },
          check(data) {
            expect(data.page).toMatchObject({
              title: 'Launch checklist',
              kind: 'page',
              parent: n.databaseId,
              content_excerpt: 'Before\nWrite the docs\nShip it\nTell the team.',
            });
            const id = String(data.page.id).replace('notion_page_', '');
            expect(n.page(id)).toMatchObject({ parent: { type: 'database_id', database_id: n.databaseId } });
            expect(n.blocks(id).map((b) => b.type)).toEqual([
              'heading_1',
              'bulleted_list_item',
              'numbered_list_item',
              'paragraph',
            ]);
          },
        },
        search: {
          input: { query: 'engineering' },
          check(data) {
            expect(data.results).toEqual([
              expect.objectContaining({
                model: 'document',
                id: `notion_page_${n.rootPageId}`,
                title: 'Engineering',
              }),
            ]);
          },
        },
      },
      probe: 'get_page',
      failNext: (kind, retryAfterSeconds) => n.failNext(kind, retryAfterSeconds),
      refusalMessage: notionRefusal,
    };
  },
};

export default scenario;
