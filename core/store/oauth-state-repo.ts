import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Pending authorizations, keyed by the SHA-256 of their `state` (the state itself is
 * never stored). Not tenant-first: the callback is public and learns the tenant from
 * this item. Consumed atomically; the consumed item stays until its TTL so a replay
 * can be told apart from a state that never existed.
 */
export type OAuthStateItem = {
  tenant_id: string;
  session_id: string;
  integration: string;
  provider: string;
  mode: 'oauth2' | 'app_install';
  end_user_id: string;
  workspace_id?: string;
  redirect_url: string;
  scopes: string[];
  /** PKCE verifier; lives only as long as the authorization may. */
  code_verifier?: string;
  /** Resolved token URL ({tenant} filled), so the callback uses what the session used. */
  token_url?: string;
  created_at: string;
  /** The authorization must come back before this (ISO). */
  valid_until: string;
  consumed_at?: string;
  /** DynamoDB TTL (epoch s): a while after valid_until, for replay detection. */
  expires_at: number;
};

const key = (hash: string) => ({ pk: `STATE#${hash}` });

export const putState = async (hash: string, item: OAuthStateItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('dedupe'),
      Item: { ...key(hash), ...item },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

/** Marks it used; returns it, or `used` when it was already, or undefined when unknown. */
export const consumeState = async (
  hash: string,
  now: string,
): Promise<OAuthStateItem | 'used' | undefined> => {
  try {
    const r = await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: key(hash),
        UpdateExpression: 'SET consumed_at = :now',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(consumed_at)',
        ExpressionAttributeValues: { ':now': now },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return r.Attributes as OAuthStateItem;
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    const existing = await dynamo().send(
      new GetCommand({ TableName: tableName('dedupe'), Key: key(hash), ConsistentRead: true }),
    );
    return existing.Item ? 'used' : undefined;
  }
};

/** The redirect URL of a consumed state, so a replay is answered where it came from. */
export const getState = async (hash: string): Promise<OAuthStateItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('dedupe'), Key: key(hash), ConsistentRead: true }),
  );
  return r.Item as OAuthStateItem | undefined;
};
