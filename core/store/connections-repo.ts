import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws';
import { tableName } from '../config';

export type ConnectionItem = {
  tenant_id: string;
  connection_id: string;
  integration: string;
  provider: string;
};

export const getConnection = async (
  tenantId: string,
  connectionId: string,
): Promise<ConnectionItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: `TENANT#${tenantId}`, sk: `CONN#${connectionId}` },
    }),
  );
  return r.Item as ConnectionItem | undefined;
};
