import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../platform/aws';
import { tableName } from '../platform/config';
import { type Key, queryPage } from './query-page';

/**
 * Provider events the processor could not use — no connection matched (`unrouted`) or
 * applying failed for good (`failed`) — kept 7 days in the runs table (its TTL), visible
 * through GET /v1/integrations/{key}/webhook-events, so nothing a provider sent is lost
 * silently. `TENANT#<t>` / `WHEVT#<ulid>`, and by integration through gsi1.
 */
export type WebhookEventItem = {
  id: string;
  tenant_id: string;
  integration_key: string;
  delivery_id: string;
  event_type: string;
  status: 'unrouted' | 'failed';
  reason: string;
  received_at: string;
  /** The body as received, when it fits an item (≤ 300 KB); else only its size. */
  body?: string;
  /** `base64` when the body is not valid UTF-8 and `body` holds its bytes base64-encoded. */
  body_encoding?: 'base64';
  body_bytes: number;
  expires_at: number;
};

const RETENTION_SECONDS = 7 * 86400;
const byIntegration = (t: string, key: string) => `TENANT#${t}#WHEVT#${key}`;

export const putWebhookEvent = async (e: Omit<WebhookEventItem, 'expires_at'>): Promise<void> => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName('runs'),
      Item: {
        pk: `TENANT#${e.tenant_id}`,
        sk: `WHEVT#${e.id}`,
        gsi1pk: byIntegration(e.tenant_id, e.integration_key),
        gsi1sk: `WHEVT#${e.id}`,
        ...e,
        expires_at: Math.floor(Date.now() / 1000) + RETENTION_SECONDS,
      },
    }),
  );
};

export const listWebhookEvents = async (
  t: string,
  integrationKey: string,
  status: string | undefined,
  limit: number,
  startKey: Key | undefined,
) => {
  const r = await queryPage<Record<string, unknown>>(
    {
      TableName: tableName('runs'),
      IndexName: 'gsi1',
      ScanIndexForward: false,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: {
        ':pk': byIntegration(t, integrationKey),
        ...(status ? { ':s': status } : {}),
      },
      ...(status ? { FilterExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' } } : {}),
    },
    {
      limit,
      startKey,
      keyOf: (i) => ({
        pk: i.pk as string,
        sk: i.sk as string,
        gsi1pk: i.gsi1pk as string,
        gsi1sk: i.gsi1sk as string,
      }),
    },
  );
  return {
    items: r.items.map((i) => {
      const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, expires_at: _e, tenant_id: _t, ...rest } = i;
      return rest as Omit<WebhookEventItem, 'expires_at' | 'tenant_id'>;
    }),
    nextKey: r.nextKey,
  };
};
