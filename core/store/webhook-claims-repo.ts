import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Provider webhook delivery ids already accepted, so a redelivery is applied once:
 * `WH#<tenant>#<integration id>#<delivery id>` in the dedupe table, kept three days
 * (providers redeliver for hours, GitHub on request for longer).
 */
const DEDUPE_SECONDS = 3 * 86400;
const key = (tenantId: string, integrationId: string, deliveryId: string) => ({
  pk: `WH#${tenantId}#${integrationId}#${deliveryId}`,
});

/** Claims the delivery id; false when an event with this id was claimed already. */
export const claimDelivery = async (
  tenantId: string,
  integrationId: string,
  deliveryId: string,
  now = Date.now(),
): Promise<boolean> => {
  try {
    await dynamo().send(
      new PutCommand({
        TableName: tableName('dedupe'),
        Item: {
          ...key(tenantId, integrationId, deliveryId),
          expires_at: Math.floor(now / 1000) + DEDUPE_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (e) {
    if ((e as Error).name === 'ConditionalCheckFailedException') return false;
    throw e;
  }
};

/** Forgets a claim whose event could not be handled, so the provider's retry is taken. */
export const releaseDelivery = async (
  tenantId: string,
  integrationId: string,
  deliveryId: string,
): Promise<void> => {
  await dynamo().send(
    new DeleteCommand({ TableName: tableName('dedupe'), Key: key(tenantId, integrationId, deliveryId) }),
  );
};
