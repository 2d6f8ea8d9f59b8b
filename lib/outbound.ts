import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type QueueName, queues, secrets, type TableName, tables } from '../core/platform/resources';
import { HouseFunction } from './house-function';

export type OutboundProps = {
  tables: Record<TableName, Table>;
  queues: Record<QueueName, Queue>;
  deadLetterQueues: Record<QueueName, Queue>;
  dataKey: Secret;
};

/**
 * Outbound webhooks to the tenant: the worker behind the outbound queue signs and POSTs
 * each event to the subscriber, records the attempt, and schedules a retry as a new,
 * delayed message — or, after 24 h, dead-letters it itself.
 */
export class Outbound extends Construct {
  readonly worker: HouseFunction;

  constructor(scope: Construct, id: string, props: OutboundProps) {
    super(scope, id);

    this.worker = new HouseFunction(this, 'Worker', {
      entry: 'functions/workers/outbound-worker.ts',
      description: 'Delivers outbound webhooks (one attempt per SQS message)',
      timeout: Duration.seconds(queues.outbound.consumerTimeoutSeconds),
    })
      // The subscription: its URL and sealed secret.
      .bindTable(props.tables.state, tables.state, 'read')
      // Delivery attempts are logged beside sync runs (expiring, time-ordered).
      .bindTable(props.tables.runs, tables.runs, 'write')
      // Unseals the subscription's signing secret.
      .bindSecret(props.dataKey, secrets.dataKey, 'read')
      .bindQueue(props.queues.outbound, queues.outbound, 'consume')
      // Retries are new, delayed messages.
      .bindQueue(props.queues.outbound, queues.outbound, 'send')
      .bindDeadLetterQueue(props.deadLetterQueues.outbound, queues.outbound);
  }
}
