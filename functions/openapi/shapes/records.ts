import * as z from 'zod/mini';
import { modelSchemas } from '../../../adapters/models';
import { described, named, timestamp } from '../contract';

const recordMeta = named(
  'RecordMeta',
  z.strictObject({
    last_action: z.enum(['added', 'updated', 'deleted']),
    first_seen_at: timestamp(),
    last_modified_at: timestamp(),
    deleted_at: z.nullable(timestamp()),
    source_id: described(z.string(), "The provider's own id."),
    cursor: described(z.string(), 'Where this change sits in the feed.'),
    truncated: z.optional(
      described(
        z.literal(true),
        "Present when the provider's object was larger than a record may be (350 KB): its longest values were cut, marked `… [truncated]`.",
      ),
    ),
  }),
);

const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * A record: its model's fields (adapters/models.ts), `id`, and `_meta`. Loose: fields
 * beyond the model (`raw`, where kept) may follow.
 */
const recordOf = (model: string, schema: z.ZodMiniObject) =>
  named(
    `${pascal(model)}Record`,
    z.looseObject({
      id: described(z.string(), 'Stable per provider object (`gh_issue_1347`).'),
      ...schema.shape,
      _meta: recordMeta,
    }),
    `A \`${model}\` record.`,
  );

const records = Object.entries(modelSchemas).map(([model, schema]) =>
  recordOf(model, schema as unknown as z.ZodMiniObject),
);

export const record = z.union(records as unknown as [z.ZodMiniType, ...z.ZodMiniType[]]);

export const recordPage = named(
  'RecordPage',
  z.strictObject({
    records: z.array(record),
    next_cursor: described(
      z.nullable(z.string()),
      'Keep it: from it, the feed shows exactly what changed since, each change once. Null only when the page is empty and there was no cursor.',
    ),
    has_more: described(z.boolean(), 'False: caught up (for now).'),
  }),
  'A page of the change feed of one connection and model, in the order changes were written.',
);
