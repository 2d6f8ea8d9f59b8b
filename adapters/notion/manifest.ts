import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

/**
 * The API version every call pins (`Notion-Version`). 2022-06-28 is the last version before
 * 2025-09-03, which split databases into data sources: search then filters on `data_source`
 * instead of `database`, page parents name a `data_source_id`, and webhooks send
 * `data_source.*` events. The wire format this adapter parses and its fake speaks is
 * 2022-06-28's; moving on is a change of its own (the mapping, the fake and the webhook
 * events together), not a header bump.
 * https://developers.notion.com/reference/versioning
 * https://developers.notion.com/docs/upgrade-guide-2025-09-03
 */
export const NOTION_VERSION = '2022-06-28';

/** Notion ids: UUIDs, with or without their dashes (as page URLs write them). */
export const notionId = z
  .string()
  .check(
    z.regex(/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i),
    z.describe('A Notion id (UUID, with or without dashes)'),
  );

/** Cursor pagination: `start_cursor` / `next_cursor`, at most 100 a page. https://developers.notion.com/reference/intro#pagination */
const paging = {
  cursor: z.optional(
    z.string().check(z.minLength(1), z.maxLength(200), z.describe('next_cursor of the previous page')),
  ),
  limit: z.optional(
    z.int().check(z.minimum(1), z.maximum(100), z.describe('Results a page (1–100, default 25)')),
  ),
};

/** Notion takes at most 100 blocks in one create call. https://developers.notion.com/reference/request-limits */
export const MAX_BLOCKS = 100;
/** The text's lines that become blocks: one block a non-empty line. */
export const blockLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');

export const manifest = defineManifest({
  name: 'notion',
  displayName: 'Notion',
  categories: ['docs'],
  curated: false,
  docsUrl: 'https://developers.notion.com/reference/intro',
  apiBaseUrl: 'https://api.notion.com',
  hosts: ['api.notion.com'],
  auth: {
    oauth2: {
      // A public integration: the user picks the pages it may see on Notion's consent page.
      authorizationUrl: 'https://api.notion.com/v1/oauth/authorize',
      tokenUrl: 'https://api.notion.com/v1/oauth/token',
      // Notion has no OAuth scopes: what the integration may do (read, update, insert content,
      // read comments, user information) is set once on the integration's capabilities page.
      defaultScopes: [],
      scopeSeparator: ' ',
      pkce: false,
      noPkceReason:
        'Notion documents the authorization-code flow for public integrations with the client secret sent as HTTP Basic on the token call, and no code_challenge / code_verifier parameters: https://developers.notion.com/docs/authorization',
      // `owner=user` is required: the integration is installed by a user for their workspace.
      authorizationParams: { owner: 'user' },
      // Notion's access tokens do not expire, and the token answer carries no refresh token.
      refreshes: false,
      docsUrl: 'https://developers.notion.com/docs/authorization',
    },
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'Internal integration secret',
          secret: true,
          help: 'In Notion: Settings → Connections → Develop or manage integrations → your internal integration → Configuration → Internal Integration Secret. Share the pages it should read with the integration.',
        },
      ],
      docsUrl: 'https://developers.notion.com/docs/create-a-notion-integration',
    },
  },
  // Both kinds of token go as Bearer, and every request names the API version.
  // https://developers.notion.com/reference/authentication
  proxy: {
    headers: {
      oauth2: { authorization: 'Bearer {access_token}', 'notion-version': NOTION_VERSION },
      api_key: { authorization: 'Bearer {api_key}', 'notion-version': NOTION_VERSION },
    },
  },
  config,
  syncs: [
    defineSync({
      name: 'pages',
      model: 'document',
      description:
        'Pages shared with the integration (database rows included), with the first text of each as content_excerpt.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'databases',
      model: 'project',
      description: 'Databases shared with the integration (kind `database`).',
      defaultFrequency: '1d',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_pages',
      description: 'List the pages shared with the integration, most recently edited first.',
      writes: false,
      input: z.object(paging),
    }),
    defineAction({
      name: 'get_page',
      description: 'Read a page: its title, parent, dates and the first text of its content.',
      writes: false,
      input: z.object({ page_id: notionId }),
    }),
    defineAction({
      name: 'create_page',
      description:
        'Create a page under a page or in a database, with a title and optional text: each line a block (`# ` heading, `- ` bullet, `1. ` numbered, else a paragraph).',
      writes: true,
      input: z.object({
        parent_id: notionId.check(z.describe('The parent page or database id')),
        parent_type: z.optional(
          z.enum(['page', 'database']).check(z.describe('What parent_id is (default page)')),
        ),
        title: z.string().check(z.minLength(1), z.maxLength(2000), z.describe('The page title')),
        text: z.optional(
          z.string().check(
            z.maxLength(100_000),
            z.refine((t) => blockLines(t).length <= MAX_BLOCKS, `At most ${MAX_BLOCKS} non-empty lines.`),
            z.describe('Body text, one block a line'),
          ),
        ),
      }),
      projectField: 'parent_id',
    }),
    defineAction({
      name: 'search',
      description: 'Search the titles of the pages and databases shared with the integration.',
      writes: false,
      input: z.object({
        query: z.string().check(z.minLength(1), z.maxLength(500), z.describe('Words in the title')),
        ...paging,
      }),
    }),
  ],
  webhooks: {
    // https://developers.notion.com/reference/webhooks-events-delivery
    events: [
      'page.created',
      'page.content_updated',
      'page.properties_updated',
      'page.moved',
      'page.deleted',
      'page.undeleted',
      'page.locked',
      'page.unlocked',
      'database.created',
      'database.content_updated',
      'database.schema_updated',
      'database.moved',
      'database.deleted',
      'database.undeleted',
      'comment.created',
      'comment.updated',
      'comment.deleted',
    ],
    // `X-Notion-Signature: sha256=<hex>`, HMAC-SHA256 of the body keyed with the subscription's
    // verification_token. https://developers.notion.com/reference/webhooks#step-3-validating-event-payloads-recommended
    signature: { scheme: 'hmac_sha256_hex', header: 'x-notion-signature' },
    docsUrl: 'https://developers.notion.com/reference/webhooks',
  },
});
