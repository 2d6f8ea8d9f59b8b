import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type QueueName, queues, visibilityTimeoutSeconds } from '../core/platform/resources';

/**
 * Every queue with its dead-letter queue. The visibility timeout is 6× the consumer's
 * Lambda timeout (AWS guidance for SQS event sources), so a message isn't redelivered
 * while a slow invocation — or its retries within a batch — still holds it.
 */
export class Queues extends Construct {
  readonly queues: Record<QueueName, Queue>;
  readonly deadLetterQueues: Record<QueueName, Queue>;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const built = {} as { [K in QueueName]: { queue: Queue; dlq: Queue } };
    for (const name of Object.keys(queues) as QueueName[]) {
      const def = queues[name];
      const dlq = new Queue(this, `${def.id}Dlq`, {
        // The longest SQS allows: time to find the cause and redrive.
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      const queue = new Queue(this, def.id, {
        visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(def)),
        deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount },
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      built[name] = { queue, dlq };
    }
    this.queues = {
      sync: built.sync.queue,
      webhook: built.webhook.queue,
      outbound: built.outbound.queue,
      import: built.import.queue,
      schedulerShard: built.schedulerShard.queue,
    };
    this.deadLetterQueues = {
      sync: built.sync.dlq,
      webhook: built.webhook.dlq,
      outbound: built.outbound.dlq,
      import: built.import.dlq,
      schedulerShard: built.schedulerShard.dlq,
    };
  }
}
