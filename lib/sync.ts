import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  integrationSecretPrefix,
  type QueueName,
  queues,
  secrets,
  type TableName,
  tables,
} from '../core/platform/resources';
import { syncWorkerNodeFlags } from './bundling';
import { HouseFunction } from './house-function';

export type SyncProps = {
  tables: Record<TableName, Table>;
  queues: Record<QueueName, Queue>;
  dataKey: Secret;
};

/**
 * Syncs: the scheduler queues the runs that are due every minute, the worker performs
 * one run per message (fetch pages, upsert records, checkpoint after each page).
 */
export class Sync extends Construct {
  readonly worker: HouseFunction;
  readonly scheduler: HouseFunction;

  constructor(scope: Construct, id: string, props: SyncProps) {
    super(scope, id);

    this.worker = new HouseFunction(this, 'Worker', {
      entry: 'functions/workers/sync-worker.ts',
      description: 'Runs one sync per SQS message',
      timeout: Duration.seconds(queues.sync.consumerTimeoutSeconds),
      // Provider pages are parsed and mapped in memory; more memory also means more CPU.
      memorySize: 1024,
      nodeFlags: syncWorkerNodeFlags,
    })
      .bindTable(props.tables.state, tables.state, 'write')
      .bindTable(props.tables.runs, tables.runs, 'write')
      .bindTable(props.tables.records, tables.records, 'write')
      // Leases (one run per connection + sync, one token refresh at a time) live here.
      .bindTable(props.tables.dedupe, tables.dedupe, 'write')
      // Decrypts the connection's stored tokens.
      .bindSecret(props.dataKey, secrets.dataKey, 'read')
      // Refreshing a token needs the integration's OAuth client secret or app key.
      .bindIntegrationSecrets(integrationSecretPrefix, 'read')
      .bindQueue(props.queues.sync, queues.sync, 'consume')
      // A run longer than one invocation re-queues itself.
      .bindQueue(props.queues.sync, queues.sync, 'send')
      // Finished runs and expired connections emit outbound webhook events.
      .bindQueue(props.queues.outbound, queues.outbound, 'send');

    this.scheduler = new HouseFunction(this, 'Scheduler', {
      entry: 'functions/workers/scheduler.ts',
      description: 'Queues the syncs that are due (every minute)',
      timeout: Duration.seconds(60),
    })
      .bindTable(props.tables.state, tables.state, 'write')
      .bindTable(props.tables.runs, tables.runs, 'write')
      .bindQueue(props.queues.sync, queues.sync, 'send');

    new Rule(this, 'EveryMinute', {
      description: 'Fires the sync scheduler',
      schedule: Schedule.rate(Duration.minutes(1)),
      // A missed tick is made up by the next one a minute later; no point retrying long.
      targets: [
        new LambdaFunction(this.scheduler.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(1) }),
      ],
    });
  }
}
