import { randomBytes } from 'node:crypto';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  deadLetterQueueEnv,
  queues,
  secrets,
  type TableDefinition,
  tables,
  visibilityTimeoutSeconds,
} from '../core/platform/resources';

/**
 * Creates on the local counterparts the same tables, queues and secrets that `lib/`
 * declares, from the same definitions (core/platform/resources.ts). Idempotent: what exists is kept.
 * Returns the environment the handlers read (table names, queue URLs, secret ids).
 */
const PREFIX = 'integrations';

const attrDefs = (t: TableDefinition): AttributeDefinition[] => {
  const all = [t.partitionKey, t.sortKey, ...t.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter(
    (a) => a !== undefined,
  );
  const unique = new Map(all.map((a) => [a.name, a.type]));
  return [...unique].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType }));
};

export const localTableName = (t: TableDefinition) => `${PREFIX}-${t.id}`;

export type Endpoints = {
  AWS_REGION: string;
  AWS_ENDPOINT_URL_DYNAMODB: string;
  AWS_ENDPOINT_URL_SQS: string;
  AWS_ENDPOINT_URL_SECRETS_MANAGER: string;
};

/**
 * `prefix` names a separate set (tables `<prefix>-…`, queues `<prefix>-…`, secrets
 * `<prefix>/…`): a test that scans whole tables or rotates the data key gets its own.
 */
export const provision = async (
  endpoints: Endpoints,
  options: { prefix?: string } = {},
): Promise<Record<string, string>> => {
  const prefix = options.prefix ?? PREFIX;
  const common = {
    region: endpoints.AWS_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const ddb = new DynamoDBClient({ ...common, endpoint: endpoints.AWS_ENDPOINT_URL_DYNAMODB });
  const sqs = new SQSClient({
    ...common,
    endpoint: endpoints.AWS_ENDPOINT_URL_SQS,
    useQueueUrlAsEndpoint: false,
  });
  const sm = new SecretsManagerClient({ ...common, endpoint: endpoints.AWS_ENDPOINT_URL_SECRETS_MANAGER });
  const env: Record<string, string> = {};

  for (const t of Object.values(tables) as TableDefinition[]) {
    const name = `${prefix}-${t.id}`;
    env[t.env] = name;
    try {
      await ddb.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attrDefs(t),
          KeySchema: [
            { AttributeName: t.partitionKey.name, KeyType: 'HASH' },
            ...(t.sortKey ? [{ AttributeName: t.sortKey.name, KeyType: 'RANGE' as const }] : []),
          ],
          ...(t.indexes.length
            ? {
                GlobalSecondaryIndexes: t.indexes.map((i) => ({
                  IndexName: i.name,
                  KeySchema: [
                    { AttributeName: i.partitionKey.name, KeyType: 'HASH' as const },
                    ...(i.sortKey ? [{ AttributeName: i.sortKey.name, KeyType: 'RANGE' as const }] : []),
                  ],
                  Projection: { ProjectionType: 'ALL' as const },
                })),
              }
            : {}),
        }),
      );
      if (t.ttlAttribute) {
        await ddb.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true },
          }),
        );
      }
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  }

  for (const q of Object.values(queues)) {
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${q.id}-dlq`,
        Attributes: { MessageRetentionPeriod: String(14 * 86400) },
      }),
    );
    const dlqArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn;
    const main = await sqs.send(
      new CreateQueueCommand({
        QueueName: `${prefix}-${q.id}`,
        Attributes: {
          VisibilityTimeout: String(visibilityTimeoutSeconds(q)),
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: q.maxReceiveCount }),
        },
      }),
    );
    env[q.env] = main.QueueUrl as string;
    env[deadLetterQueueEnv(q)] = dlq.QueueUrl as string;
  }

  for (const s of Object.values(secrets)) {
    const name = prefix === PREFIX ? s.name : `${prefix}/${s.name}`;
    env[s.env] = name;
    try {
      await sm.send(new DescribeSecretCommand({ SecretId: name }));
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
      // Same shape CDK generates: a current version and 64 random characters of material.
      await sm.send(
        new CreateSecretCommand({
          Name: name,
          SecretString: JSON.stringify({ current: '1', k1: randomBytes(48).toString('base64url') }),
        }),
      );
    }
  }

  ddb.destroy();
  sqs.destroy();
  sm.destroy();
  return env;
};
