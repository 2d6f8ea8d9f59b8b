import { appendFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type IndexDefinition, type TableDefinition, tables } from './resources';

/**
 * The capacity bench's request meter (`npm run bench -- capacity`, docs/scale.md "The capacity
 * model"): with CAPACITY_LOG naming a file when a client is created, every DynamoDB, SQS and
 * Secrets Manager request that client sends is appended to it as one JSON line — operation,
 * table or queue, the partition keys it touched, the capacity DynamoDB reports, payload bytes.
 * A file rather than memory because workers may run in processes of their own; each process
 * appends whole lines. Without the variable nothing is added to the clients: deployed
 * functions never pay for it.
 *
 * Every DynamoDB command is sent with ReturnConsumedCapacity=INDEXES so the writes to each
 * index are counted (the bench checks that DynamoDB Local reports them). The line's `label`
 * is CAPACITY_LABEL at the time of the request: the bench names the function group it is
 * running (it runs one group at a time).
 */

/** What one request cost, as the bench reads it back. */
export type MeteredRequest = {
  service: 'dynamodb' | 'sqs' | 'secretsmanager';
  op: string;
  label: string;
  /** DynamoDB: units per partition touched (table or index), computed from item sizes. */
  units?: PartitionUnits[];
  /** DynamoDB: the capacity DynamoDB itself reported (ReturnConsumedCapacity=INDEXES), summed. */
  reported?: { read: number; write: number };
  /** The error's name when the request failed (a failed condition still spends write units). */
  error?: string;
  /** SQS: queue name, messages and payload bytes (billed per 64 KB chunk). */
  queue?: string;
  messages?: number;
  bytes?: number;
  /** Secrets Manager: the secret's name. */
  secret?: string;
};

/** Bytes of a value as DynamoDB sizes items: names and strings by UTF-8 length, numbers ~ digits/2 + 1. */
export const itemBytes = (item: unknown): number => {
  if (item === null || item === undefined) return 1;
  if (typeof item === 'string') return Buffer.byteLength(item);
  if (typeof item === 'number' || typeof item === 'bigint') return Math.ceil(String(item).length / 2) + 1;
  if (typeof item === 'boolean') return 1;
  if (item instanceof Uint8Array) return item.byteLength;
  if (item instanceof Set) return [...item].reduce((n: number, x) => n + itemBytes(x), 0);
  if (Array.isArray(item)) return 3 + item.reduce((n: number, x) => n + 1 + itemBytes(x), 0);
  if (typeof item === 'object') {
    const o = item as Record<string, unknown>;
    return 3 + Object.keys(o).reduce((n, k) => n + Buffer.byteLength(k) + itemBytes(o[k]), 0);
  }
  return 1;
};

type Item = Record<string, unknown>;
/**
 * Units one request spent on one partition: of a table (`index` absent) or of one of its
 * indexes. `sk` is the item within it (its sort key), or for a Query the range it read
 * (`<prefix>*`, `*` for the whole key): DynamoDB splits a busy partition key by sort-key range
 * ("split for heat"), so the bench judges some patterns by their hottest item (docs/scale.md).
 */
export type PartitionUnits = {
  table: string;
  index?: string;
  pk: string;
  sk?: string;
  read: number;
  write: number;
};

const KB = 1024;
const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

/** The attributes an index copies: its keys, the table's keys and its `include`, or all. */
const projected = (table: TableDefinition, index: IndexDefinition, item: Item): Item => {
  if (!index.include) return item;
  const names = [
    table.partitionKey.name,
    table.sortKey?.name,
    index.partitionKey.name,
    index.sortKey?.name,
    ...index.include,
  ].filter((n): n is string => n !== undefined);
  return Object.fromEntries(names.filter((n) => n in item).map((n) => [n, item[n]]));
};

const inIndex = (index: IndexDefinition, item: Item | undefined): item is Item =>
  item !== undefined &&
  item[index.partitionKey.name] !== undefined &&
  (index.sortKey === undefined || item[index.sortKey.name] !== undefined);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Write units of one item write, as DynamoDB bills them: the table max(old, new) size per
 * KB (min 1); each index the item enters one put, leaves one delete, changes key in two
 * (delete + put), or whose projected attributes change one write — each by the size of the
 * projected item. A transaction doubles every unit. A failed condition spends the table's.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 */
export const itemWriteUnits = (
  tableId: string,
  table: TableDefinition,
  before: Item | undefined,
  after: Item | undefined,
  options: { transaction?: boolean; failed?: boolean } = {},
): PartitionUnits[] => {
  const x = options.transaction ? 2 : 1;
  const key = (after ?? before ?? {}) as Item;
  const pk = String(key[table.partitionKey.name] ?? '?');
  const sortOf = (i: Item, name: string | undefined) =>
    name !== undefined && i[name] !== undefined ? { sk: String(i[name]) } : {};
  const tableUnits = writeUnitsOf(
    Math.max(itemBytes(before ?? {}), options.failed ? 0 : itemBytes(after ?? {})),
  );
  const out: PartitionUnits[] = [
    { table: tableId, pk, ...sortOf(key, table.sortKey?.name), read: 0, write: tableUnits * x },
  ];
  if (options.failed) return out;
  for (const index of table.indexes as readonly IndexDefinition[]) {
    const was = inIndex(index, before);
    const is = inIndex(index, after);
    const ipk = (i: Item) => String(i[index.partitionKey.name]);
    const size = (i: Item) => writeUnitsOf(itemBytes(projected(table, index, i)));
    const at = (i: Item, w: number) => ({
      table: tableId,
      index: index.name,
      pk: ipk(i),
      ...sortOf(i, index.sortKey?.name),
      read: 0,
      write: w * x,
    });
    if (!was && is) out.push(at(after, size(after)));
    else if (was && !is) out.push(at(before, size(before)));
    else if (was && is) {
      const keyMoved =
        !same(before[index.partitionKey.name], after[index.partitionKey.name]) ||
        (index.sortKey !== undefined && !same(before[index.sortKey.name], after[index.sortKey.name]));
      if (keyMoved) out.push(at(before, size(before)), at(after, size(after)));
      else if (!same(projected(table, index, before), projected(table, index, after)))
        out.push(at(after, Math.max(size(before), size(after))));
    }
  }
  return out;
};

/** Read units of items read together: per 4 KB of their size, half when eventually consistent. */
export const readUnits = (bytes: number, consistent: boolean) =>
  Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);

type Input = Record<string, unknown>;
type Doc = { send: (c: unknown) => Promise<Record<string, unknown>> };

const byPhysicalName = (): Map<string, [string, TableDefinition]> =>
  new Map(
    Object.entries(tables).map(([id, def]) => [process.env[def.env] ?? id, [id, def as TableDefinition]]),
  );

const keyFor = (def: TableDefinition, item: Item): Item =>
  Object.fromEntries(
    [def.partitionKey.name, def.sortKey?.name]
      .filter((n): n is string => n !== undefined)
      .map((n) => [n, item[n]]),
  );

/** An item write a request makes: table, key, and the new item when the request holds it whole. */
type Write = { table: string; key: Item; put?: Item; update?: boolean };

const writesOf = (op: string, input: Input, lookup: Map<string, [string, TableDefinition]>): Write[] => {
  const def = (t: unknown) => lookup.get(String(t))?.[1];
  const one = (t: unknown, body: Input, kind: 'put' | 'update' | 'delete'): Write[] => {
    const d = def(t);
    if (!d) return [];
    const item = (kind === 'put' ? body.Item : body.Key) as Item;
    return [
      {
        table: String(t),
        key: keyFor(d, item),
        ...(kind === 'put' ? { put: item } : {}),
        ...(kind === 'update' ? { update: true } : {}),
      },
    ];
  };
  switch (op) {
    case 'PutItemCommand':
      return one(input.TableName, input, 'put');
    case 'UpdateItemCommand':
      return one(input.TableName, input, 'update');
    case 'DeleteItemCommand':
      return one(input.TableName, input, 'delete');
    case 'BatchWriteItemCommand':
      return Object.entries((input.RequestItems ?? {}) as Record<string, Input[]>).flatMap(([t, rs]) =>
        rs.flatMap((r) =>
          r.PutRequest ? one(t, r.PutRequest as Input, 'put') : one(t, r.DeleteRequest as Input, 'delete'),
        ),
      );
    case 'TransactWriteItemsCommand':
      return ((input.TransactItems ?? []) as Input[]).flatMap((ti) => {
        if (ti.Put) return one((ti.Put as Input).TableName, ti.Put as Input, 'put');
        if (ti.Update) return one((ti.Update as Input).TableName, ti.Update as Input, 'update');
        if (ti.Delete) return one((ti.Delete as Input).TableName, ti.Delete as Input, 'delete');
        return [];
      });
    default:
      return [];
  }
};

const getItem = async (raw: Doc, table: string, key: Item): Promise<Item | undefined> =>
  (await raw.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item as
    | Item
    | undefined;

/** The partition key value a Query's KeyConditionExpression names (`<attr> = :value`). */
const queryPk = (input: Input): string => {
  const expr = String(input.KeyConditionExpression ?? '');
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  const m = /([#\w]+)\s*=\s*(:\w+)/.exec(expr);
  return m ? String(values[m[2] as string] ?? '?') : '?';
};

/**
 * The sort-key range a Query reads: `<prefix>*` for begins_with, `<from>..<to>` for BETWEEN,
 * `<op><value>` for a comparison, `*` for the whole partition key — what the hottest-item
 * figure counts as one place (a range is counted as if it were one item: an overstatement).
 */
export const queryRange = (input: Input): string => {
  const expr = String(input.KeyConditionExpression ?? '');
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  const v = (name: string | undefined) => String(values[name ?? ''] ?? '?');
  const begins = /begins_with\s*\(\s*[#\w]+\s*,\s*(:\w+)\s*\)/.exec(expr);
  if (begins) return `${v(begins[1])}*`;
  const between = /BETWEEN\s+(:\w+)\s+AND\s+(:\w+)/i.exec(expr);
  if (between) return `${v(between[1])}..${v(between[2])}`;
  // The sort-key comparison: a second `<attr> <op> :value` after the partition key's `=`.
  const compares = [...expr.matchAll(/[#\w]+\s*(<=|>=|<|>|=)\s*(:\w+)/g)];
  const sortCompare = compares[1];
  if (sortCompare) return `${sortCompare[1]}${v(sortCompare[2])}`;
  return '*';
};

const readsOf = (
  op: string,
  input: Input,
  output: Input,
  lookup: Map<string, [string, TableDefinition]>,
): PartitionUnits[] => {
  const id = (t: unknown) => lookup.get(String(t))?.[0] ?? String(t);
  const consistent = input.ConsistentRead === true;
  if (op === 'GetItemCommand') {
    const d = lookup.get(String(input.TableName))?.[1];
    const key = input.Key as Item;
    const pk = d ? String(key[d.partitionKey.name]) : '?';
    const sk = d?.sortKey ? { sk: String(key[d.sortKey.name]) } : {};
    const bytes = output.Item ? itemBytes(output.Item) : 0;
    return [{ table: id(input.TableName), pk, ...sk, read: readUnits(bytes, consistent), write: 0 }];
  }
  if (op === 'QueryCommand' || op === 'ScanCommand') {
    // Filtered-out items are read and paid for too: scale what came back by scanned/returned.
    const items = (output.Items ?? []) as Item[];
    const count = Number(output.Count ?? items.length);
    const scanned = Number(output.ScannedCount ?? count);
    const bytes = items.reduce((n, i) => n + itemBytes(i), 0) * (count > 0 ? scanned / count : 1);
    return [
      {
        table: id(input.TableName),
        ...(input.IndexName ? { index: String(input.IndexName) } : {}),
        pk: op === 'ScanCommand' ? '(scan)' : queryPk(input),
        sk: op === 'ScanCommand' ? '*' : queryRange(input),
        read: readUnits(bytes, consistent),
        write: 0,
      },
    ];
  }
  if (op === 'BatchGetItemCommand') {
    const responses = (output.Responses ?? {}) as Record<string, Item[]>;
    return Object.entries(responses).flatMap(([t, items]) => {
      const d = lookup.get(t)?.[1];
      const c = ((input.RequestItems as Record<string, Input>)?.[t]?.ConsistentRead ?? false) === true;
      // A projection may leave the key out of what came back: the request's keys name it then.
      const asked = ((input.RequestItems as Record<string, { Keys?: Item[] }>)?.[t]?.Keys ?? [])[0];
      return items.map((i) => ({
        table: id(t),
        pk: d ? String(i[d.partitionKey.name] ?? asked?.[d.partitionKey.name]) : '?',
        ...(d?.sortKey && i[d.sortKey.name] !== undefined ? { sk: String(i[d.sortKey.name]) } : {}),
        read: readUnits(itemBytes(i), c),
        write: 0,
      }));
    });
  }
  return [];
};

const queueName = (url: unknown) =>
  String(url ?? '')
    .split('/')
    .pop() ?? '';

const sqsLine = (op: string, input: Input): Partial<MeteredRequest> => {
  const queue = queueName(input.QueueUrl);
  if (op === 'SendMessageCommand')
    return { queue, messages: 1, bytes: Buffer.byteLength(String(input.MessageBody ?? '')) };
  if (op === 'SendMessageBatchCommand') {
    const entries = (input.Entries ?? []) as { MessageBody?: string }[];
    const bytes = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
    return { queue, messages: entries.length, bytes };
  }
  return { queue };
};

/** The commands that take ReturnConsumedCapacity. */
const RETURNS_CAPACITY = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchWriteItemCommand',
  'BatchGetItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

type Capacity = {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { ReadCapacityUnits?: number; WriteCapacityUnits?: number }>;
};

/** What DynamoDB reported, table and indexes summed (DynamoDB Local reports zeros: docs/scale.md). */
const reportedOf = (out: unknown): { read: number; write: number } | undefined => {
  const c = (out as { ConsumedCapacity?: Capacity | Capacity[] } | undefined)?.ConsumedCapacity;
  if (!c) return undefined;
  let read = 0;
  let write = 0;
  for (const x of Array.isArray(c) ? c : [c]) {
    read += x.ReadCapacityUnits ?? 0;
    write += x.WriteCapacityUnits ?? 0;
    for (const i of Object.values(x.GlobalSecondaryIndexes ?? {})) {
      read += i.ReadCapacityUnits ?? 0;
      write += i.WriteCapacityUnits ?? 0;
    }
  }
  return { read, write };
};

export type Next = (args: { input: Input }) => Promise<{ output: unknown }>;

/**
 * DynamoDB's request, metered: every item a write touches is read before (and, for an
 * update, after) with an unmetered client of its own, so the units are computed from the
 * items' real sizes and index membership — DynamoDB Local does not report them.
 */
const meterDynamo = async (op: string, input: Input, next: Next, raw: Doc, line: MeteredRequest) => {
  const lookup = byPhysicalName();
  const writes = writesOf(op, input, lookup);
  const before: (Item | undefined)[] = [];
  for (let i = 0; i < writes.length; i += 100) {
    const chunk = writes.slice(i, i + 100);
    if (chunk.length === 1) {
      const w = chunk[0] as Write;
      before.push(await getItem(raw, w.table, w.key));
      continue;
    }
    const byTable: Record<string, { Keys: Item[]; ConsistentRead: true }> = {};
    for (const w of chunk) {
      byTable[w.table] ??= { Keys: [], ConsistentRead: true };
      if (!byTable[w.table]?.Keys.some((k) => same(k, w.key))) byTable[w.table]?.Keys.push(w.key);
    }
    const found = new Map<string, Item>();
    let request: Record<string, unknown> | undefined = byTable;
    while (request && Object.keys(request).length) {
      const r = await raw.send(new BatchGetCommand({ RequestItems: request as never }));
      for (const [t, items] of Object.entries((r.Responses ?? {}) as Record<string, Item[]>)) {
        const d = lookup.get(t)?.[1] as TableDefinition;
        for (const it of items) found.set(`${t}|${JSON.stringify(keyFor(d, it))}`, it);
      }
      request = r.UnprocessedKeys as Record<string, unknown> | undefined;
    }
    for (const w of chunk) before.push(found.get(`${w.table}|${JSON.stringify(w.key)}`));
  }
  const transaction = op === 'TransactWriteItemsCommand';
  try {
    const result = await next({ input });
    const out = (result.output ?? {}) as Input;
    const reported = reportedOf(out);
    if (reported) line.reported = reported;
    const units = readsOf(op, input, await fullItems(op, input, out, raw), lookup);
    for (const [i, w] of writes.entries()) {
      const [id, def] = lookup.get(w.table) as [string, TableDefinition];
      const after = w.put ?? (w.update ? await getItem(raw, w.table, w.key) : undefined);
      units.push(...itemWriteUnits(id, def, before[i], after, { transaction }));
    }
    line.units = units;
    return result;
  } catch (e) {
    line.error = (e as Error).name;
    // A refused condition (or a cancelled transaction) still spends the table's write units.
    line.units = writes.map((w, i) => {
      const [id, def] = lookup.get(w.table) as [string, TableDefinition];
      return itemWriteUnits(id, def, before[i] ?? w.key, undefined, {
        transaction,
        failed: true,
      })[0] as PartitionUnits;
    });
    throw e;
  }
};

/**
 * A read is billed by the size of the items read, not of the attributes a projection returns:
 * a projected GetItem or BatchGetItem is read again whole for its units. (A projected Query
 * is counted at the size it returned: an underestimate, docs/scale.md.)
 */
const fullItems = async (op: string, input: Input, out: Input, raw: Doc): Promise<Input> => {
  if (op === 'GetItemCommand' && input.ProjectionExpression && out.Item)
    return { ...out, Item: await getItem(raw, String(input.TableName), input.Key as Item) };
  if (op !== 'BatchGetItemCommand') return out;
  const requested = (input.RequestItems ?? {}) as Record<
    string,
    { Keys?: Item[]; ProjectionExpression?: string }
  >;
  if (!Object.values(requested).some((r) => r.ProjectionExpression)) return out;
  const responses: Record<string, Item[]> = {};
  for (const [t, items] of Object.entries((out.Responses ?? {}) as Record<string, Item[]>)) {
    const d = byPhysicalName().get(t)?.[1];
    if (!d || !requested[t]?.ProjectionExpression) {
      responses[t] = items;
      continue;
    }
    // Every key asked for, read whole; the ones that exist are what the request read.
    const keys = requested[t]?.Keys ?? [];
    const whole: Item[] = [];
    for (const k of keys) {
      const it = await getItem(raw, t, k);
      if (it) whole.push(it);
    }
    responses[t] = whole;
  }
  return { ...out, Responses: responses };
};

/**
 * The meter's middleware for one client (meter-hook.ts adds it when CAPACITY_LOG is set,
 * loading this module on the first request). Runs at the initialize step, lowest priority:
 * before the document client marshals its input (so keys and items are plain values here)
 * and after it unmarshals the output.
 */
export const meterMiddleware = (
  service: MeteredRequest['service'],
  file: string,
): ((next: Next, context: { commandName?: string }) => Next) => {
  let raw: Doc | undefined;
  return (next, context) => async (args) => {
    const op = context.commandName ?? '?';
    const line: MeteredRequest = { service, op, label: process.env.CAPACITY_LABEL ?? 'unlabelled' };
    try {
      if (service === 'dynamodb') {
        if (RETURNS_CAPACITY.has(op)) args.input.ReturnConsumedCapacity = 'INDEXES';
        raw ??= DynamoDBDocumentClient.from(new DynamoDBClient({})) as unknown as Doc;
        return await meterDynamo(op, args.input, next, raw, line);
      }
      if (service === 'sqs') Object.assign(line, sqsLine(op, args.input));
      else line.secret = String(args.input.SecretId ?? args.input.Name ?? '');
      try {
        return await next(args);
      } catch (e) {
        line.error = (e as Error).name;
        throw e;
      }
    } finally {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    }
  };
};
