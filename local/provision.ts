import { randomBytes } from 'node:crypto';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  buckets,
  deadLetterQueueEnv,
  type IndexDefinition,
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

const gsi = (i: IndexDefinition): GlobalSecondaryIndex => ({
  IndexName: i.name,
  KeySchema: [
    { AttributeName: i.partitionKey.name, KeyType: 'HASH' as const },
    ...(i.sortKey ? [{ AttributeName: i.sortKey.name, KeyType: 'RANGE' as const }] : []),
  ],
  Projection: i.include
    ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...i.include] }
    : { ProjectionType: 'ALL' as const },
});

export const localTableName = (t: TableDefinition) => `${PREFIX}-${t.id}`;

export type Endpoints = {
  AWS_REGION: string;
  AWS_ENDPOINT_URL_DYNAMODB: string;
  AWS_ENDPOINT_URL_SQS: string;
  /** fauxqs serves S3 on the SQS endpoint. */
  AWS_ENDPOINT_URL_S3?: string;
  AWS_ENDPOINT_URL_SECRETS_MANAGER: string;
};

/**
 * `prefix` names a separate set (tables `<prefix>-…`, queues `<prefix>-…`, secrets
 * `<prefix>/…`): a test that scans whole tables or rotates the data key gets its own.
 */
export const provision = async (
  endpoints: Endpoints,
  options: {
    prefix?: string;
    /** Sets a bucket's S3 → SQS notification (the counterparts' `notifyBucket`). */
    notifyBucket?: (n: { bucket: string; prefix: string; queueUrl: string }) => void;
  } = {},
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
                GlobalSecondaryIndexes: t.indexes.map(gsi),
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
      // A table kept from an older version (`npm start` keeps its data): add the indexes
      // defined since, one per update as DynamoDB allows.
      const have = (await ddb.send(new DescribeTableCommand({ TableName: name }))).Table;
      for (const i of t.indexes) {
        if (have?.GlobalSecondaryIndexes?.some((x) => x.IndexName === i.name)) continue;
        await ddb.send(
          new UpdateTableCommand({
            TableName: name,
            AttributeDefinitions: attrDefs(t),
            GlobalSecondaryIndexUpdates: [{ Create: gsi(i) }],
          }),
        );
      }
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

  const s3 = new S3Client({
    ...common,
    endpoint: endpoints.AWS_ENDPOINT_URL_S3 ?? endpoints.AWS_ENDPOINT_URL_SQS,
  });
  for (const b of Object.values(buckets)) {
    // Bucket names are global and lower-case on AWS; locally, one per prefix.
    const name = `${prefix}-${b.id}`.toLowerCase();
    env[b.env] = name;
    try {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    } catch (e) {
      if (!(e instanceof BucketAlreadyOwnedByYou) && (e as Error).name !== 'BucketAlreadyOwnedByYou') throw e;
    }
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: name,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'expire',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              Expiration: { Days: b.expireAfterDays },
            },
          ],
        },
      }),
    );
    options.notifyBucket?.({
      bucket: name,
      prefix: b.prefix,
      queueUrl: env[queues[b.notifies].env] as string,
    });
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
  s3.destroy();
  sm.destroy();
  return env;
};
