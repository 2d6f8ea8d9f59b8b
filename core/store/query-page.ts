import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';

export type Key = Record<string, string>;

/**
 * One page of a Query with a filter. DynamoDB applies `Limit` before the filter, so a
 * filtered page may come back short or empty while more matches lie beyond; this reads
 * on until it has `limit` items or the partition ends, and returns the key of the last
 * item *returned* (not of the last item read) so the next page starts right after it.
 */
export const queryPage = async <T extends Record<string, unknown>>(
  input: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  options: {
    limit: number;
    startKey?: Key | undefined;
    keyOf: (item: T) => Key;
    /**
     * What each Query's items become before they count towards the page: a filter the table
     * cannot express (it needs another item), or items completed from elsewhere. The items it
     * returns keep their keys.
     */
    refine?: (items: T[]) => Promise<T[]>;
  },
): Promise<{ items: T[]; nextKey: Key | undefined }> => {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined = options.startKey;
  let exhausted = false;
  while (items.length <= options.limit && !exhausted) {
    const r = await dynamo().send(
      new QueryCommand({
        ...input,
        ExclusiveStartKey: start,
        // Read a little beyond the page so we know whether another page exists.
        Limit: Math.max(25, (options.limit + 1 - items.length) * 2),
      }),
    );
    const got = (r.Items ?? []) as T[];
    items.push(...(options.refine && got.length ? await options.refine(got) : got));
    start = r.LastEvaluatedKey;
    exhausted = start === undefined;
  }
  const page = items.slice(0, options.limit);
  const last = page.at(-1);
  const more = items.length > options.limit;
  return { items: page, nextKey: more && last ? options.keyOf(last) : undefined };
};
