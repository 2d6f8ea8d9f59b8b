import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { tableName } from '../platform/config';

/**
 * Where Powertools idempotency keeps writing tools' Idempotency-Keys: the dedupe table,
 * keyed by `pk` (Powertools writes `<function>#<hash of tenant and key>`), expiring by
 * `expires_at` like everything else there.
 */
export const toolIdempotencyStore = (): DynamoDBPersistenceLayer =>
  new DynamoDBPersistenceLayer({ tableName: tableName('dedupe'), keyAttr: 'pk', expiryAttr: 'expires_at' });
