import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';

/**
 * Connect sessions and the authorizations started from them, in the dedupe table (TTL).
 * Neither is tenant-first: `/v1/connect/start` and the callback are public and learn the
 * tenant from these items.
 *
 * - A session (`CONNECT#<session id>`) is what `POST /v1/connect/sessions` opened: who is
 *   connecting, to what, where to send them back, and the provider's authorization (or
 *   install) URL without a state. Marked completed once a callback stored a connection.
 * - An authorization (`STATE#<sha256 of state>`) is one visit to `/v1/connect/start`: a copy
 *   of the session's facts, the PKCE verifier, and the hash of the nonce in the browser's
 *   cookie. Keyed by the state's hash (the state itself is never stored), consumed
 *   atomically; the consumed item stays until its TTL so a replay can be told apart from a
 *   state that never existed.
 */
export type ConnectSessionItem = {
  tenant_id: string;
  session_id: string;
  integration: string;
  provider: string;
  /** OAuth or app install (through /v1/connect/start), or credentials typed on the connect page. */
  mode: 'oauth2' | 'app_install' | 'api_key' | 'basic';
  end_user_id: string;
  workspace_id?: string;
  redirect_url: string;
  scopes: string[];
  /**
   * The provider's authorization or install URL, every parameter set but state and PKCE;
   * absent for a credentials session, which has none.
   */
  authorization_url?: string;
  /** Whether each authorization adds a PKCE S256 challenge. */
  pkce: boolean;
  /** Resolved token URL ({tenant} filled), so the callback uses what the session used. */
  token_url?: string;
  created_at: string;
  /** The authorization must come back before this (ISO). */
  valid_until: string;
  /** Set when a callback stored the connection: the session cannot be started again. */
  completed_at?: string;
  /** The connection it stored, and its provider account's name, for the connect page's result. */
  connection_id?: string;
  account_name?: string;
  /** The connection this session re-authorises (`pending_auth` meanwhile, if it was not active). */
  reauth_connection_id?: string;
  /** Credentials submitted on the connect page so far (each one a call to the provider). */
  attempts?: number;
  /** DynamoDB TTL (epoch s): a while after valid_until, so a late visit is told why. */
  expires_at: number;
};

export type OAuthStateItem = Omit<
  ConnectSessionItem,
  'authorization_url' | 'pkce' | 'completed_at' | 'connection_id' | 'account_name' | 'attempts' | 'mode'
> & {
  mode: 'oauth2' | 'app_install';
  /**
   * Started from the hosted connect page (`page`), or from it opened as a popup by
   * /connect.js (`popup`): the callback then lands on the page's result, not on redirect_url.
   */
  display?: 'page' | 'popup';
  /** PKCE verifier; lives only as long as the authorization may. */
  code_verifier?: string;
  /** SHA-256 (hex) of the nonce in the `__Host-` cookie set on the browser that started it. */
  browser_hash: string;
  consumed_at?: string;
};

const stateKey = (hash: string) => ({ pk: `STATE#${hash}` });
const sessionKey = (sessionId: string) => ({ pk: `CONNECT#${sessionId}` });

export const putSession = async (item: ConnectSessionItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('dedupe'),
      Item: { ...item, ...sessionKey(item.session_id) },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getSession = async (sessionId: string): Promise<ConnectSessionItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('dedupe'), Key: sessionKey(sessionId), ConsistentRead: true }),
  );
  if (!r.Item) return undefined;
  const { pk: _pk, ...item } = r.Item;
  return item as ConnectSessionItem;
};

/**
 * The session stored its connection (a callback, or credentials from the connect page); later
 * starts and submissions are refused. The first completion's connection is the one kept.
 */
export const completeSession = async (
  sessionId: string,
  now: string,
  result: { connection_id: string; account_name: string },
): Promise<void> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: sessionKey(sessionId),
        UpdateExpression:
          'SET completed_at = if_not_exists(completed_at, :now), ' +
          'connection_id = if_not_exists(connection_id, :c), account_name = if_not_exists(account_name, :a)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': now, ':c': result.connection_id, ':a': result.account_name },
      }),
    );
  } catch (e) {
    // Gone with its TTL already: nothing left to start again.
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
  }
};

/**
 * Counts one submission of credentials against the session, atomically: `counted` while it
 * is not completed and has had fewer than `max`; else why not. Expiry is the caller's check.
 */
export const countAttempt = async (
  sessionId: string,
  max: number,
): Promise<'counted' | 'exhausted' | 'completed' | 'gone'> => {
  try {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName('dedupe'),
        Key: sessionKey(sessionId),
        UpdateExpression: 'ADD attempts :one',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(completed_at) AND ' +
          '(attribute_not_exists(attempts) OR attempts < :max)',
        ExpressionAttributeValues: { ':one': 1, ':max': max },
      }),
    );
    return 'counted';
  } catch (e) {
    if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    const now = await getSession(sessionId);
    if (!now) return 'gone';
    return now.completed_at ? 'completed' : 'exhausted';
  }
};

export const putState = async (hash: string, item: OAuthStateItem): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('dedupe'),
      Item: { ...item, ...stateKey(hash) },
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
        Key: stateKey(hash),
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
      new GetCommand({ TableName: tableName('dedupe'), Key: stateKey(hash), ConsistentRead: true }),
    );
    return existing.Item ? 'used' : undefined;
  }
};

/** An authorization as stored, consumed or not: checked against the browser before consuming. */
export const getState = async (hash: string): Promise<OAuthStateItem | undefined> => {
  const r = await dynamo().send(
    new GetCommand({ TableName: tableName('dedupe'), Key: stateKey(hash), ConsistentRead: true }),
  );
  return r.Item as OAuthStateItem | undefined;
};
