import { createHash } from 'node:crypto';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';

/**
 * Logs written faster than one partition takes (1,000 write units a second) with an
 * ever-increasing sort key: DynamoDB's split for heat cannot help them, as every write lands
 * at the end of the key range. Each such log is split over a fixed number of partition keys
 * (`<key>#SHARD#<n>`), the shard chosen by hashing a stable id of the item, and read back by
 * merging one Query per shard.
 */
export const shardOf = (id: string, shards: number): number =>
  createHash('sha256').update(id).digest().readUInt32BE(0) % shards;

export const shardKey = (key: string, id: string, shards: number): string =>
  `${key}#SHARD#${shardOf(id, shards)}`;

/**
 * Every partition a sharded log may hold items in: the key itself first — the log as it
 * was written before it was sharded, still read — then each shard.
 */
export const shardKeys = (key: string, shards: number): string[] => [
  key,
  ...Array.from({ length: shards }, (_, n) => `${key}#SHARD#${n}`),
];

/**
 * One page of a sharded log, in the order of its sort key (unique across shards), after a
 * position. Each query names one shard and the range to read (the caller's key condition:
 * past the position, and any bound); all run together.
 *
 * Why the page is exact — each item of the range returned once, in order, across pages:
 *
 * Let R be the items of the range over all shards. Each shard's Query returns, in order, a
 * prefix of its part of R: all of it (no LastEvaluatedKey), or everything up to its
 * LastEvaluatedKey b_s — `limit + 1` items, fewer when the 1 MB answer limit or a filter cut
 * it. Let B be the earliest b_s. Every item of R up to B was read (a shard that stopped
 * read up to its b_s, which is at or past B; one that did not stop read all of it), and
 * dropping what was read past B leaves `known` = exactly R up to B, sorted. The page is
 * the first `limit` of `known` and `last` its last key L: every item of R up to L is in the
 * page and nothing past L is. When the page is short of `limit`, `known` held all of R up to
 * B, so `last` = B is just as safe (a filter dropped the rest). The next page reads strictly
 * past `last`, so pages cut one ordered sequence into consecutive pieces: nothing is
 * repeated, nothing skipped — as long as no item is later written into a range a reader has
 * passed. Each caller states why that holds (the records feed: its settle window; the
 * delivery log: items are keyed by the time they are written, newest first).
 *
 * `more` is exact for an unfiltered log: each shard is asked for `limit + 1`, so a shard that
 * stopped early (B set) put at least `limit + 1` items in `known`.
 */
export const mergeShards = async <T extends Record<string, unknown>>(args: {
  queries: Omit<QueryCommandInput, 'Limit' | 'ScanIndexForward'>[];
  /** The sort key's attribute (a string, unique across shards). */
  sortKey: string;
  descending: boolean;
  limit: number;
}): Promise<{ items: T[]; last: string | undefined; more: boolean }> => {
  const { sortKey, descending, limit } = args;
  const before = (a: string, b: string) => (descending ? a > b : a < b);
  const answers = await Promise.all(
    args.queries.map((q) =>
      dynamo().send(new QueryCommand({ ...q, Limit: limit + 1, ScanIndexForward: !descending })),
    ),
  );
  let bound: string | undefined;
  for (const r of answers) {
    const b = r.LastEvaluatedKey?.[sortKey] as string | undefined;
    if (b !== undefined && (bound === undefined || before(b, bound))) bound = b;
  }
  const keyOf = (i: T) => i[sortKey] as string;
  const known = answers
    .flatMap((r) => (r.Items ?? []) as T[])
    .filter((i) => bound === undefined || !before(bound, keyOf(i)))
    .sort((a, b) => (before(keyOf(a), keyOf(b)) ? -1 : before(keyOf(b), keyOf(a)) ? 1 : 0));
  const items = known.slice(0, limit);
  const tail = items.at(-1);
  const last = items.length === limit && tail ? keyOf(tail) : (bound ?? (tail ? keyOf(tail) : undefined));
  return { items, last, more: bound !== undefined || known.length > limit };
};
