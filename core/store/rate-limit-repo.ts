import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Request counters of the rate limiter (core/tenants/rate-limit.ts): one item per key and
 * fixed window in the dedupe table, `TENANT#<tenant>#RATE#<key>#<window start>`, expiring
 * one window after it ends.
 */
export const countRequest = async (
  tenantId: string,
  bucket: string,
  windowStart: number,
  expiresAt: number,
): Promise<number> => {
  const r = await dynamo().send(
    new UpdateCommand({
      TableName: tableName('dedupe'),
      Key: { pk: `TENANT#${tenantId}#RATE#${bucket}#${windowStart}` },
      UpdateExpression: 'ADD hits :one SET expires_at = if_not_exists(expires_at, :exp)',
      ExpressionAttributeValues: { ':one': 1, ':exp': expiresAt },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(r.Attributes?.hits ?? 1);
};
