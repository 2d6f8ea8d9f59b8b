import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * A short lease in DynamoDB: at most one holder across every Lambda. It expires by
 * itself (`lease_until`), so a holder that crashes blocks others for at most its length.
 */
const key = (tenantId: string, name: string) => ({ pk: `TENANT#${tenantId}#LEASE#${name}` });

export const acquireLease = async (
  tenantId: string,
  name: string,
  owner: string,
  ms: number,
): Promise<boolean> => {
  const now = Date.now();
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName('dedupe'),
        Item: {
          ...key(tenantId, name),
          owner,
          lease_until: now + ms,
          expires_at: Math.ceil((now + ms) / 1000) + 3600,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR lease_until < :now',
        ExpressionAttributeValues: { ':now': now },
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};

export const releaseLease = async (tenantId: string, name: string, owner: string): Promise<void> => {
  try {
    await dynamo().send(
      new DeleteCommand({
        TableName: tableName('dedupe'),
        Key: key(tenantId, name),
        ConditionExpression: '#o = :owner',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':owner': owner },
      }),
    );
  } catch (e) {
    // Our lease had expired and someone else holds it now: theirs to release.
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
  }
};

/** The lease's holder while it holds it (strongly consistent), else undefined. */
export const leaseHolder = async (tenantId: string, name: string): Promise<string | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('dedupe'), Key: key(tenantId, name), ConsistentRead: true }),
  );
  const until = r.Item?.lease_until;
  return typeof until === 'number' && until >= Date.now() ? (r.Item?.owner as string) : undefined;
};
