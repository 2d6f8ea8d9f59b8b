import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../aws';
import { tableName } from '../config';

export type IntegrationItem = {
  tenant_id: string;
  unique_key: string;
  provider: string;
  display_name: string;
  created_at: string;
  updated_at: string;
};

export const getIntegration = async (tenantId: string, key: string): Promise<IntegrationItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({
      TableName: tableName('state'),
      Key: { pk: `TENANT#${tenantId}`, sk: `INTEGRATION#${key}` },
    }),
  );
  return r.Item as IntegrationItem | undefined;
};
