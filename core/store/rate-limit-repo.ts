import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Request counters of the rate limiter (core/tenants/rate-limit.ts): one item per key and
 * fixed window in the dedupe table, `TENANT#<tenant>#RATE#<key>#<window start>`, expiring
 * one window after it ends. A container reserves `n` requests at a time (one write for
 * many requests when it is busy) and learns the window's total from the answer.
 */
export const countRequests = async (
  tenantId: string,
  bucket: string,
  windowStart: number,
  expiresAt: number,
  n: number,
): Promise<number> => {
  const r = await dynamo().send(
    new UpdateCommand({
      TableName: tableName('dedupe'),
      Key: { pk: `TENANT#${tenantId}#RATE#${bucket}#${windowStart}` },
      UpdateExpression: 'ADD hits :n SET expires_at = if_not_exists(expires_at, :exp)',
      ExpressionAttributeValues: { ':n': n, ':exp': expiresAt },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(r.Attributes?.hits ?? n);
};

/** DynamoDB's answers to more traffic than a partition or the table takes: busy, not broken. */
export const isThrottle = (e: unknown): boolean =>
  ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'].includes(
    (e as Error)?.name,
  );
