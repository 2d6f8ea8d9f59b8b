import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Provider webhook delivery ids the processor has claimed, so a redelivery is applied
 * once: `WH#<tenant>#<integration id>#<delivery id>` in the dedupe table, kept three days
 * (providers redeliver for hours, GitHub on request for longer).
 *
 * A claim is `claimed` while its event is being applied and `done` after. A claim still
 * `claimed` once it is older than `staleAfterMs` belongs to an invocation that died
 * between claim and apply (the caller passes its Lambda timeout: no live invocation holds
 * a claim longer), so the next copy of the event takes it over and applies it.
 */
const DEDUPE_SECONDS = 3 * 86400;
const key = (tenantId: string, integrationId: string, deliveryId: string) => ({
  pk: `WH#${tenantId}#${integrationId}#${deliveryId}`,
});

export type DeliveryClaim = {
  tenantId: string;
  integrationId: string;
  deliveryId: string;
  /** Ours alone: marking done or releasing touches the claim only while we still hold it. */
  token: string;
  /** A stale claim of a dead invocation was taken over. */
  takenOver: boolean;
};

export type ClaimAnswer =
  | { kind: 'claimed'; claim: DeliveryClaim }
  /** Applied already (`done`), or being applied by another invocation right now (`claimed`). */
  | { kind: 'duplicate'; state: 'done' | 'claimed'; duplicates: number };

const conditionFailed = (e: unknown) => (e as Error).name === 'ConditionalCheckFailedException';

/**
 * Claims the delivery id: a conditional write that succeeds on a new id or a stale claim.
 * Otherwise the copy is a duplicate: counted on the claim (`duplicates`), and answered
 * with the state it found.
 */
export const claimDelivery = async (
  tenantId: string,
  integrationId: string,
  deliveryId: string,
  o: { staleAfterMs: number; now?: number },
): Promise<ClaimAnswer> => {
  const now = o.now ?? Date.now();
  const token = randomUUID();
  try {
    // An update, not a put: taking a stale claim over keeps the item's duplicate count.
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: key(tenantId, integrationId, deliveryId),
        UpdateExpression:
          'SET #state = :claimed, claim_token = :token, claimed_at = :now, expires_at = :expires',
        ConditionExpression: 'attribute_not_exists(pk) OR (#state = :claimed AND claimed_at < :stale)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':claimed': 'claimed',
          ':token': token,
          ':now': now,
          ':expires': Math.floor(now / 1000) + DEDUPE_SECONDS,
          ':stale': now - o.staleAfterMs,
        },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return {
      kind: 'claimed',
      claim: { tenantId, integrationId, deliveryId, token, takenOver: r.Attributes !== undefined },
    };
  } catch (e) {
    if (!conditionFailed(e)) throw e;
  }
  const counted = await dynamo().send(
    new UpdateCommand({
      TableName: tableName('dedupe'),
      Key: key(tenantId, integrationId, deliveryId),
      UpdateExpression: 'ADD duplicates :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const a = counted.Attributes ?? {};
  return {
    kind: 'duplicate',
    state: a.state === 'done' ? 'done' : 'claimed',
    duplicates: Number(a.duplicates ?? 1),
  };
};

/** The event was applied: later copies are duplicates for good. False: the claim was taken over meanwhile. */
export const markDelivered = async (claim: DeliveryClaim, now = Date.now()): Promise<boolean> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: key(claim.tenantId, claim.integrationId, claim.deliveryId),
        UpdateExpression: 'SET #state = :done, done_at = :now REMOVE claim_token',
        ConditionExpression: 'claim_token = :token',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':done': 'done', ':now': now, ':token': claim.token },
      }),
    );
    return true;
  } catch (e) {
    if (conditionFailed(e)) return false;
    throw e;
  }
};

/**
 * Gives a claim up after applying failed: made stale at once, so the retry of the event
 * (or any copy of it) takes it over without waiting; its duplicate count stays.
 */
export const releaseDelivery = async (claim: DeliveryClaim): Promise<void> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: key(claim.tenantId, claim.integrationId, claim.deliveryId),
        UpdateExpression: 'SET claimed_at = :never REMOVE claim_token',
        ConditionExpression: 'claim_token = :token',
        ExpressionAttributeValues: { ':never': 0, ':token': claim.token },
      }),
    );
  } catch (e) {
    if (!conditionFailed(e)) throw e;
  }
};
