import * as path from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type BucketName,
  buckets,
  integrationSecretPrefix,
  type QueueName,
  queues,
  secrets,
  type TableName,
  tables,
} from '../core/platform/resources';
import { type WorkerAccess, workers } from '../functions/workers';
import { contextNumber, HouseFunction } from './house-function';

/** The receiver's default reservation (its row in functions/workers.ts), for the tests and docs. */
export const WEBHOOK_RECEIVER_RESERVED_CONCURRENCY = (
  workers.find((w) => w.trigger.kind === 'function_url') as (typeof workers)[number]
).concurrency.default;

export type WorkersProps = {
  tables: Record<TableName, Table>;
  queues: Record<QueueName, Queue>;
  deadLetterQueues: Record<QueueName, Queue>;
  dataKey: Secret;
  buckets: Record<BucketName, Bucket>;
};

// `functions/workers/sync-worker.ts` → `SyncWorker`: readable names in the console.
const constructId = (entry: string): string =>
  path
    .basename(entry, path.extname(entry))
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * Every worker — queue consumers, the scheduler, the webhook receiver — one Lambda per row
 * of functions/workers.ts, with its trigger and exactly the grants its row's `access` says.
 */
export class Workers extends Construct {
  /** Each worker's Lambda, by its entry (`functions/workers/sync-worker.ts`, …). */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  /** Base URL integrations' `webhook_url`s live under: `<base>/{tenant_id}/{integration_key}`. */
  readonly webhookBaseUrl: string;

  constructor(scope: Construct, id: string, props: WorkersProps) {
    super(scope, id);
    const functions = new Map<string, HouseFunction>();
    let webhookBaseUrl: string | undefined;
    for (const w of workers) {
      const name = constructId(w.entry);
      if (this.node.tryFindChild(name)) throw new Error(`${w.entry} is two rows of the worker table`);
      // Each worker group's own budget (its row's `concurrency`, overridable by context).
      const reserved = contextNumber(this, w.concurrency.context, w.concurrency.default);
      const fn = new HouseFunction(this, name, {
        entry: w.entry,
        description: w.description,
        timeout: Duration.seconds(w.timeoutSeconds),
        ...(w.memoryMb === undefined ? {} : { memorySize: w.memoryMb }),
        ...(w.nodeFlags === undefined ? {} : { nodeFlags: w.nodeFlags }),
        ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      });
      grantAccess(fn, w.access, props);
      const trigger = w.trigger;
      switch (trigger.kind) {
        case 'queue':
          fn.consumeQueue(props.queues[trigger.queue], queues[trigger.queue], trigger.batchSize, reserved);
          break;
        case 'schedule':
          new Rule(this, `${name}Schedule`, {
            description: `Fires ${w.entry}`,
            schedule: Schedule.rate(Duration.minutes(trigger.everyMinutes)),
            targets: [
              new LambdaFunction(fn.fn, {
                retryAttempts: trigger.retryAttempts,
                maxEventAge: Duration.seconds(trigger.maxEventAgeSeconds),
              }),
            ],
          });
          break;
        case 'function_url': {
          // No IAM auth: providers can't sign AWS requests. The handler authenticates each
          // request itself (a webhook by the provider's signature over the raw body).
          const url = fn.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
          // `url` ends with '/'. The function can't get this value as an env var: its own
          // URL depends on the function, so that would be a dependency cycle.
          webhookBaseUrl = `${url.url}${trigger.basePath}`;
          break;
        }
        default: {
          // A trigger kind added to the table without its CDK here fails to compile.
          const unhandled: never = trigger;
          throw new Error(`${w.entry}: no CDK for trigger ${JSON.stringify(unhandled)}`);
        }
      }
      functions.set(w.entry, fn);
    }
    if (webhookBaseUrl === undefined) throw new Error('the worker table has no function URL worker');
    this.functions = functions;
    this.webhookBaseUrl = webhookBaseUrl;
  }

  /**
   * The API's URL for the workers whose row asks for it; set once the API exists (it is
   * built after the workers, from the receiver's URL).
   */
  setPublicApiUrl(url: string): void {
    for (const w of workers) {
      if (w.access.publicApiUrl) this.functions.get(w.entry)?.fn.addEnvironment('PUBLIC_API_URL', url);
    }
  }
}

/** Turns a worker's `access` into binder calls: env vars and grants, nothing beyond them. */
const grantAccess = (fn: HouseFunction, access: WorkerAccess, props: WorkersProps): void => {
  for (const name of Object.keys(tables) as TableName[]) {
    const mode = access.tables?.[name];
    if (mode) fn.bindTable(props.tables[name], tables[name], mode);
  }
  for (const name of Object.keys(queues) as QueueName[]) {
    if (access.queues?.[name]) fn.bindQueue(props.queues[name], queues[name], 'send');
    const dlq = access.deadLetterQueues?.[name];
    if (dlq) fn.bindDeadLetterQueue(props.deadLetterQueues[name], queues[name], dlq);
  }
  for (const name of Object.keys(buckets) as BucketName[]) {
    const mode = access.buckets?.[name];
    if (mode) fn.bindBucket(props.buckets[name], buckets[name], mode);
  }
  const dataKey = access.secrets?.dataKey;
  if (dataKey) fn.bindSecret(props.dataKey, secrets.dataKey, dataKey);
  const integrationSecrets = access.secrets?.integrationSecrets;
  if (integrationSecrets) fn.bindIntegrationSecrets(integrationSecretPrefix, integrationSecrets);
};
