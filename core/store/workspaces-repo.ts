import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * Workspace grants: a connection granted to one of the tenant's workspaces, with the
 * tools enabled there. State table, `TENANT#<t>` / `GRANT#<workspace>#<connection>`, so a
 * workspace's grants are one Query and a grant one GetItem (the execute path).
 */
export type GrantItem = {
  tenant_id: string;
  workspace_id: string;
  connection_id: string;
  provider: string;
  integration: string;
  enabled_tools: string[];
  default_project: string | null;
  created_at: string;
  updated_at: string;
};

const pk = (t: string) => `TENANT#${t}`;
const sk = (ws: string, c: string) => `GRANT#${ws}#${c}`;

const strip = (i: Record<string, unknown>) => {
  const { pk: _p, sk: _s, ...rest } = i;
  return rest as GrantItem;
};

export const putGrant = async (g: GrantItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('state'),
      Item: { pk: pk(g.tenant_id), sk: sk(g.workspace_id, g.connection_id), ...g },
    }),
  );
};

export const getGrant = async (t: string, ws: string, c: string): Promise<GrantItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: pk(t), sk: sk(ws, c) },
      ConsistentRead: true,
    }),
  );
  return r.Item ? strip(r.Item) : undefined;
};

/** True when there was a grant to delete. */
export const deleteGrant = async (t: string, ws: string, c: string): Promise<boolean> => {
  const r = await dynamo().send(
    new DeleteCommand({
      TableName: tableName('state'),
      Key: { pk: pk(t), sk: sk(ws, c) },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return r.Attributes !== undefined;
};

export const listGrants = async (t: string, ws: string, limit: number, startKey: Key | undefined) => {
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('state'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ws)',
      ExpressionAttributeValues: { ':pk': pk(t), ':ws': `GRANT#${ws}#` },
      ConsistentRead: true,
    },
    { limit, startKey, keyOf: (i) => ({ pk: i.pk as string, sk: i.sk as string }) },
  );
  return { items: r.items.map(strip), nextKey: r.nextKey };
};
