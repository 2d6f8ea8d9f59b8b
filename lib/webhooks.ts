import { Duration } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  integrationSecretPrefix,
  type QueueName,
  queues,
  type TableName,
  tables,
} from '../core/platform/resources';
import { contextNumber, HouseFunction } from './house-function';

/**
 * Reserved concurrency of the public webhook receiver (`cdk deploy -c
 * webhookReceiverReservedConcurrency=<n>`, or `off`): at ~50 ms a delivery, 50 instances
 * take about 1,000 deliveries a second; a flood beyond that is throttled (providers retry)
 * instead of taking the account's concurrency.
 */
export const WEBHOOK_RECEIVER_RESERVED_CONCURRENCY = 50;

export type WebhooksProps = {
  tables: Record<TableName, Table>;
  queues: Record<QueueName, Queue>;
};

/**
 * Provider webhooks: a public function URL that verifies and enqueues, and the worker
 * that applies the queued events. Receiving is cheap and fast so providers see a quick
 * 2xx; the work happens behind the queue with retries and a DLQ.
 */
export class Webhooks extends Construct {
  readonly receiver: HouseFunction;
  readonly processor: HouseFunction;
  /** Base URL integrations' `webhook_url`s live under: `<base>/{tenant_id}/{integration_key}`. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: WebhooksProps) {
    super(scope, id);

    const receiverConcurrency = contextNumber(
      this,
      'webhookReceiverReservedConcurrency',
      WEBHOOK_RECEIVER_RESERVED_CONCURRENCY,
    );
    this.receiver = new HouseFunction(this, 'Receiver', {
      entry: 'functions/workers/webhook-receiver.ts',
      description: 'Provider webhooks: verify signature, enqueue',
      timeout: Duration.seconds(10),
      ...(receiverConcurrency === undefined ? {} : { reservedConcurrentExecutions: receiverConcurrency }),
    })
      .bindTable(props.tables.state, tables.state, 'read')
      // Redeliveries: a conditional put per delivery id, with a TTL.
      .bindTable(props.tables.dedupe, tables.dedupe, 'write')
      // The integration's webhook secret, to verify signatures.
      .bindIntegrationSecrets(integrationSecretPrefix, 'read')
      .bindQueue(props.queues.webhook, queues.webhook, 'send');

    // No IAM auth: providers can't sign AWS requests. The receiver authenticates each
    // delivery by the provider's signature over the raw body instead.
    const url = this.receiver.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    // The receiver parses `/webhooks/{tenant_id}/{integration_key}` from rawPath, and
    // `url` ends with '/'. The receiver itself can't get this value as an env var: its own
    // URL depends on the function, so that would be a dependency cycle.
    this.baseUrl = `${url.url}webhooks`;

    this.processor = new HouseFunction(this, 'Processor', {
      entry: 'functions/workers/webhook-processor.ts',
      description: 'Applies queued provider webhook events to records',
      timeout: Duration.seconds(queues.webhook.consumerTimeoutSeconds),
    })
      .bindTable(props.tables.state, tables.state, 'write')
      .bindTable(props.tables.records, tables.records, 'write')
      // Runs of the syncs it triggers, and the log of events it could not use.
      .bindTable(props.tables.runs, tables.runs, 'write')
      .bindQueue(props.queues.sync, queues.sync, 'send')
      // records.changed and provider.event to the tenant's subscribers.
      .bindQueue(props.queues.outbound, queues.outbound, 'send')
      .bindQueue(props.queues.webhook, queues.webhook, 'consume');
  }
}
