import * as z from 'zod/mini';
import { getConnection } from '../connections/read';
import { decodeCursor, encodeCursor } from '../platform/cursor';
import { ApiError } from '../platform/errors';
import { type RecordItem, readFeed, recordsPk } from '../store/records-repo';
import { recordModelsOf } from './models';

/**
 * GET /v1/records: the change feed of one connection and model. The cursor walks changes
 * in the order they were written; a client that keeps `next_cursor` and comes back later
 * sees exactly what changed since, each change once. Unlike other lists, `next_cursor` is
 * always set — an empty page means "caught up", and the same cursor resumes later.
 */
export const recordsQuery = {
  connection_id: z.string().check(z.minLength(1), z.maxLength(200)),
  model: z.string().check(z.minLength(1), z.maxLength(50)),
  modified_after: z.optional(z.iso.datetime({ offset: true })),
};

const recordView = (r: RecordItem) => ({
  id: r.id,
  ...r.data,
  _meta: {
    last_action: r.last_action,
    first_seen_at: r.first_seen_at,
    last_modified_at: r.last_modified_at,
    deleted_at: r.deleted_at ?? null,
    source_id: r.id.replace(/^[a-z]+_[a-z]+_/, ''),
    cursor: r.feed_cursor,
    // Only on a record too large to store whole (core/store/records-repo.ts fitRecord).
    ...(r.truncated ? { truncated: true } : {}),
  },
});

export const listRecords = async (
  tenantId: string,
  q: {
    connection_id: string;
    model: string;
    modified_after?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
  endUserId?: string,
) => {
  const c = await getConnection(tenantId, q.connection_id, endUserId);
  const models = new Set(await recordModelsOf(c.provider));
  if (!models.has(q.model as never)) {
    throw new ApiError('validation_failed', `${c.provider} syncs no '${q.model}' records.`, {
      details: { issues: [{ path: 'query.model', message: `One of: ${[...models].join(', ')}.` }] },
    });
  }
  const scope = `records?${q.connection_id}&${q.model}&${q.modified_after ?? ''}`;
  let after: string | undefined;
  if (q.cursor !== undefined) {
    const d = await decodeCursor(tenantId, scope, q.cursor);
    if (typeof d !== 'string' || !/^[0-9A-Z]{26}$/.test(d))
      throw new ApiError('invalid_cursor', 'The cursor is not valid for this list.');
    after = d;
  }
  const page = await readFeed(
    recordsPk(tenantId, q.connection_id, q.model),
    after,
    q.limit,
    q.modified_after,
  );
  return {
    records: page.items.map(recordView),
    next_cursor: page.last ? await encodeCursor(tenantId, scope, page.last) : null,
    has_more: page.more,
  };
};
