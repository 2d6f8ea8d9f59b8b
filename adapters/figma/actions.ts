import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { ActionsOf } from '../types';
import { projectFiles } from './listing';
import type { manifest } from './manifest';
import { fileId, toDocument } from './mapping';
import { authHeaders, failure, fileUrl, isoOf } from './rest';

/**
 * Figma's tools, answering files with the id the files sync gives them (`figma_file_<key>`).
 */

// GET /v1/files/:key?depth=1: the document and its pages (CANVAS nodes), nothing below them.
// https://developers.figma.com/docs/rest-api/file-endpoints/#get-files-endpoint
const fileAnswer = z.object({
  name: z.string(),
  lastModified: z.string(),
  version: z.optional(z.string()),
  thumbnailUrl: z.optional(z.nullable(z.string())),
  editorType: z.optional(z.string()),
  role: z.optional(z.string()),
  document: z.object({
    children: z.optional(z.array(z.object({ id: z.string(), name: z.string(), type: z.string() }))),
  }),
});

// GET /v1/images/:key: `{ err: null, images: { "<node id>": "<url>" | null } }`; null where
// the node could not be rendered (invisible, 0% opacity, or no such node in the file).
// https://developers.figma.com/docs/rest-api/file-endpoints/#get-images-endpoint
const imagesAnswer = z.object({
  err: z.optional(z.nullable(z.string())),
  images: z.record(z.string(), z.nullable(z.string())),
});

export const actions: ActionsOf<typeof manifest> = {
  list_files: async (ctx, input) => {
    const listed = await projectFiles(ctx, input.project_id);
    return {
      files: listed.files.map((f) => {
        const { id, data } = toDocument(f, listed.name);
        return { id, ...data, key: f.key };
      }),
    };
  },

  get_file: async (ctx, input) => {
    const key = encodeURIComponent(input.file_key);
    // https://developers.figma.com/docs/rest-api/file-endpoints/#get-files-endpoint
    const res = await ctx.http(`${ctx.baseUrl}/v1/files/${key}?depth=1`, {
      headers: authHeaders(ctx.credentials),
    });
    if (res.status !== 200) throw failure(res);
    const f = parseAnswer('Figma', fileAnswer, res, 'GET /v1/files/:key');
    return {
      file: {
        id: fileId(input.file_key),
        key: input.file_key,
        name: f.name,
        url: fileUrl(input.file_key),
        last_modified: isoOf(f.lastModified, 'lastModified'),
        version: f.version ?? null,
        editor_type: f.editorType ?? null,
        role: f.role ?? null,
        thumbnail_url: f.thumbnailUrl ?? null,
        // depth=1: the document's children are its pages.
        pages: (f.document.children ?? [])
          .filter((c) => c.type === 'CANVAS')
          .map((c) => ({ id: c.id, name: c.name })),
      },
    };
  },

  export_images: async (ctx, input) => {
    const query = new URLSearchParams({ ids: input.ids.join(','), format: input.format ?? 'png' });
    if (input.scale !== undefined) query.set('scale', String(input.scale));
    // https://developers.figma.com/docs/rest-api/file-endpoints/#get-images-endpoint
    const res = await ctx.http(
      `${ctx.baseUrl}/v1/images/${encodeURIComponent(input.file_key)}?${query.toString()}`,
      { headers: authHeaders(ctx.credentials) },
    );
    if (res.status !== 200) throw failure(res);
    const answer = parseAnswer('Figma', imagesAnswer, res, 'GET /v1/images/:key');
    // An answer of 200 with `err` set is a refusal all the same (a render that failed as a whole).
    if (answer.err) throw new ProviderError('rejected', answer.err, { status: res.status });
    return {
      images: input.ids.map((id) => ({ node_id: id, url: answer.images[id] ?? null })),
      format: input.format ?? 'png',
      // "Images will expire after 30 days."
      expires_in_days: 30,
    };
  },
};
