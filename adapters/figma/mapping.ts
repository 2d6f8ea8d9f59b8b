import type { Document, Message } from '../models';
import type { SyncRecord } from '../types';
import { commentUrl, fileUrl, isoOf } from './rest';

/**
 * Figma objects in the unified models, one mapping for the syncs, the actions and the webhooks:
 * a record a webhook writes is the record the sync writes of the same object.
 */

export type FigmaFile = { key: string; name: string; last_modified: string };

export const fileId = (key: string) => `figma_file_${key}`;
export const commentId = (id: string) => `figma_comment_${id}`;

/** A file of a project (GET /v1/projects/:id/files); `parent` is the project's name. */
export const toDocument = (f: FigmaFile, project: string | null): SyncRecord & { data: Document } => ({
  id: fileId(f.key),
  data: {
    title: f.name,
    kind: 'design',
    url: fileUrl(f.key),
    parent: project,
    // The project listing names no creator and no creation time.
    author: null,
    content_excerpt: null,
    created_at: null,
    last_edited_at: isoOf(f.last_modified, 'last_modified'),
  },
});

/** What a comment says, who wrote it and where, from the REST comment or a FILE_COMMENT event. */
export type FigmaComment = {
  id: string;
  fileKey: string;
  text: string;
  author: string | null;
  /** The comment replied to; null for a thread's first comment. */
  parentId: string | null;
  createdAt: string;
};

export const toMessage = (c: FigmaComment): SyncRecord & { data: Message } => ({
  id: commentId(c.id),
  data: {
    text: c.text,
    channel: c.fileKey,
    author: c.author,
    url: commentUrl(c.fileKey, c.id),
    thread_id: c.parentId,
    created_at: isoOf(c.createdAt, 'created_at'),
  },
});
