import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * The audit trail (core/store/README.md, `audit` table): one item per tool call or proxied
 * write, newest first under the tenant, and in one sparse index per filter.
 */
export type ToolCallItem = {
  tenant_id: string;
  id: string;
  tool: string;
  /** The connection acted on; null when the id the caller sent named none of theirs. */
  connection_id: string | null;
  workspace_id: string | null;
  /** The end user whose connection it acted on (or who acted, when the connection was not found). */
  end_user_id: string | null;
  actor_type: 'key' | 'end_user';
  actor_id: string;
  via: 'api' | 'mcp' | 'proxy';
  outcome: string;
  provider_status: number | null;
  duration_ms: number;
  input_sha256: string;
  created_at: string;
  expires_at: number;
};

export type ToolCallFilter = {
  workspace_id?: string | undefined;
  connection_id?: string | undefined;
  end_user_id?: string | undefined;
  tool?: string | undefined;
};

const pk = (t: string) => `TENANT#${t}`;
const sk = (id: string) => `TC#${id}`;
const connPk = (t: string, c: string) => `TENANT#${t}#CONN#${c}`;
const euPk = (t: string, u: string) => `TENANT#${t}#EU#${u}`;
const wsPk = (t: string, w: string) => `TENANT#${t}#WS#${w}`;
const toolPk = (t: string, tool: string) => `TENANT#${t}#TOOL#${tool}`;

const strip = (i: Record<string, unknown>): ToolCallItem => {
  const { pk: _p, sk: _s, conn_pk: _c, eu_pk: _e, ws_pk: _w, tool_pk: _t, ...rest } = i;
  return rest as ToolCallItem;
};

export const putToolCall = async (item: ToolCallItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('audit'),
      Item: {
        pk: pk(item.tenant_id),
        sk: sk(item.id),
        tool_pk: toolPk(item.tenant_id, item.tool),
        ...(item.connection_id !== null ? { conn_pk: connPk(item.tenant_id, item.connection_id) } : {}),
        ...(item.end_user_id !== null ? { eu_pk: euPk(item.tenant_id, item.end_user_id) } : {}),
        ...(item.workspace_id !== null ? { ws_pk: wsPk(item.tenant_id, item.workspace_id) } : {}),
        ...item,
      },
    }),
  );
};

/**
 * One filter is the index's partition (a Query), the others a filter on it. The most
 * selective one leads: a connection's calls, then an end user's, a workspace's, a tool's.
 */
export const listToolCalls = async (
  t: string,
  filter: ToolCallFilter,
  limit: number,
  startKey?: Key,
): Promise<{ items: ToolCallItem[]; nextKey: Key | undefined }> => {
  const lead = (
    [
      ['connection_id', 'by_connection', 'conn_pk', (v: string) => connPk(t, v)],
      ['end_user_id', 'by_end_user', 'eu_pk', (v: string) => euPk(t, v)],
      ['workspace_id', 'by_workspace', 'ws_pk', (v: string) => wsPk(t, v)],
      ['tool', 'by_tool', 'tool_pk', (v: string) => toolPk(t, v)],
    ] as const
  ).find(([field]) => filter[field] !== undefined);
  const names: Record<string, string> = { '#pk': lead ? lead[2] : 'pk' };
  const values: Record<string, unknown> = {
    ':pk': lead ? lead[3](filter[lead[0]] as string) : pk(t),
  };
  const rest = (['connection_id', 'end_user_id', 'workspace_id', 'tool'] as const).filter(
    (f) => filter[f] !== undefined && f !== lead?.[0],
  );
  for (const f of rest) {
    names[`#${f}`] = f;
    values[`:${f}`] = filter[f];
  }
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('audit'),
      ...(lead ? { IndexName: lead[1] } : {}),
      KeyConditionExpression: '#pk = :pk',
      ...(rest.length ? { FilterExpression: rest.map((f) => `#${f} = :${f}`).join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    {
      limit,
      startKey,
      // An index page restarts from the index key and the table key of its last item.
      keyOf: (i) => {
        const key: Key = { pk: i.pk as string, sk: i.sk as string };
        if (lead) key[lead[2]] = i[lead[2]] as string;
        return key;
      },
    },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};
