import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import { type Project, projectFiles, syncTeamsOf, teamProjects } from './listing';
import type { manifest } from './manifest';
import { type FigmaFile, toDocument, toMessage } from './mapping';
import { authHeaders, failure } from './rest';

/**
 * Both syncs walk teams → projects → files. Figma pages none of these lists (a team's
 * projects, a project's files, a file's comments each come whole), so a sync page is one
 * project's files, or one file's comments; the checkpoint says where the walk is, with the
 * lists already read, so a resumed run asks for none of them again.
 */

const project = z.object({ id: z.string(), name: z.string() });
const walk = z.object({
  t: z.int().check(z.minimum(0)),
  p: z.int().check(z.minimum(0)),
  f: z.int().check(z.minimum(0)),
  projects: z.optional(z.array(project)),
  files: z.optional(z.array(z.object({ key: z.string(), name: z.string() }))),
});
type Walk = z.infer<typeof walk>;

/** Where the walk is; a checkpoint that is not one of ours starts it over. */
const at = (checkpoint: unknown): Walk => walk.safeParse(checkpoint).data ?? { t: 0, p: 0, f: 0 };

// GET /v1/files/:key/comments: every comment of the file, replies included.
// https://developers.figma.com/docs/rest-api/comments-endpoints/#get-comments-endpoint
const commentsAnswer = z.object({
  comments: z.array(
    z.object({
      id: z.string(),
      file_key: z.optional(z.string()),
      // "" or absent on a thread's first comment.
      parent_id: z.optional(z.nullable(z.string())),
      user: z.optional(z.nullable(z.object({ handle: z.string() }))),
      created_at: z.string(),
      message: z.string(),
    }),
  ),
});

/** The step after `w` in the walk when the current item was the last of its list, or undefined at the end. */
const after = (w: Walk, teams: number, level: 'project' | 'file'): Walk | undefined => {
  if (level === 'file' && w.files && w.f + 1 < w.files.length) return { ...w, f: w.f + 1 };
  if (w.projects && w.p + 1 < w.projects.length) return { t: w.t, p: w.p + 1, f: 0, projects: w.projects };
  return w.t + 1 < teams ? { t: w.t + 1, p: 0, f: 0 } : undefined;
};

/** The project the walk is at, reading the team's projects when the checkpoint has none; undefined at the end. */
const currentProject = async (ctx: SyncContext, w: Walk, teams: string[]): Promise<Project | undefined> => {
  for (;;) {
    const team = teams[w.t];
    if (team === undefined) return undefined;
    w.projects ??= (await teamProjects(ctx, team)).projects;
    const p = w.projects[w.p];
    if (p) return p;
    // A team with no (matching) project: on to the next, whose projects are read afresh.
    w.t += 1;
    w.p = 0;
    w.f = 0;
    delete w.projects;
    delete w.files;
  }
};

const files = async (ctx: SyncContext): Promise<SyncPage> => {
  const teams = syncTeamsOf(ctx.config);
  const w = at(ctx.checkpoint);
  const p = await currentProject(ctx, w, teams);
  if (!p) return { records: [] };
  const listed = await projectFiles(ctx, p.id);
  const next = after(w, teams.length, 'project');
  return {
    records: listed.files.map((f: FigmaFile) => toDocument(f, listed.name ?? p.name)),
    ...(next ? { next } : {}),
  };
};

const comments = async (ctx: SyncContext): Promise<SyncPage> => {
  const teams = syncTeamsOf(ctx.config);
  let w = at(ctx.checkpoint);
  for (;;) {
    const p = await currentProject(ctx, w, teams);
    if (!p) return { records: [] };
    w.files ??= (await projectFiles(ctx, p.id)).files.map((f) => ({ key: f.key, name: f.name }));
    const file = w.files[w.f];
    if (!file) {
      // A project with no file: on to the next project (or team), whose lists are read afresh.
      const next = after(w, teams.length, 'project');
      if (!next) return { records: [] };
      w = next;
      continue;
    }
    const res = await ctx.http(`${ctx.baseUrl}/v1/files/${encodeURIComponent(file.key)}/comments`, {
      headers: authHeaders(ctx.credentials),
    });
    const next = after(w, teams.length, 'file');
    // Listed a moment ago and deleted since: it has no comments left to read.
    if (res.status === 404) return { records: [], ...(next ? { next } : {}) };
    if (res.status !== 200) throw failure(res);
    const answer = parseAnswer('Figma', commentsAnswer, res, 'GET /v1/files/:key/comments');
    return {
      records: answer.comments.map((c) =>
        toMessage({
          id: c.id,
          fileKey: c.file_key || file.key,
          text: c.message,
          author: c.user?.handle ?? null,
          parentId: c.parent_id || null,
          createdAt: c.created_at,
        }),
      ),
      ...(next ? { next } : {}),
    };
  }
};

export const syncs: SyncsOf<typeof manifest> = { files, comments };
