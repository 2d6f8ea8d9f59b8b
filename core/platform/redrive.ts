import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { deadLetterQueueUrl, queueUrl } from './config';
import type { QueueName } from './resources';
import { sqsClient } from './sqs';

/**
 * Moving a queue's dead letters back to it, once their cause is fixed (`npm run admin --
 * redrive <queue>`). The sync queue's own dead letters rarely wait here: the scheduler ends
 * their runs and deletes them (core/syncs/recovery.ts); a redriven one whose run has ended is
 * dropped by the worker.
 */

export type RedriveResult = {
  /** Messages in the DLQ when it started (approximate, as SQS counts). */
  waiting: number;
  /** `move-task`: SQS moves them itself (asynchronously); `copied`: sent back and deleted here. */
  method: 'dry-run' | 'move-task' | 'copied';
  /** Messages copied back (`copied`), or SQS's count to move (`move-task`). */
  moved: number;
  taskHandle?: string;
};

const attributes = async (url: string) =>
  (
    await sqsClient().send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'],
      }),
    )
  ).Attributes ?? {};

// Errors of an SQS that has no StartMessageMoveTask (fauxqs answers InvalidAction).
const UNSUPPORTED = new Set(['InvalidAction', 'UnsupportedOperation', 'UnknownOperationException']);

export const redrive = async (queue: QueueName, options: { dryRun: boolean }): Promise<RedriveResult> => {
  const dlqUrl = deadLetterQueueUrl(queue);
  const sourceUrl = queueUrl(queue);
  const dlq = await attributes(dlqUrl);
  const waiting = Number(dlq.ApproximateNumberOfMessages ?? 0);
  if (options.dryRun) return { waiting, method: 'dry-run', moved: 0 };
  if (waiting === 0) return { waiting, method: 'copied', moved: 0 };

  // SQS's own redrive: server-side, at up to 500 messages a second, keeping each message's
  // attributes. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
  try {
    const source = await attributes(sourceUrl);
    const task = await sqsClient().send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.QueueArn, DestinationArn: source.QueueArn }),
    );
    return {
      waiting,
      method: 'move-task',
      moved: waiting,
      ...(task.TaskHandle ? { taskHandle: task.TaskHandle } : {}),
    };
  } catch (e) {
    if (!UNSUPPORTED.has((e as Error).name)) throw e;
  }

  // Without it (the local SQS): receive, send back, delete, ten at a time, as many as were
  // waiting (not until empty: a message failing again meanwhile must not loop). A message is deleted only once its copy is sent, so a failure midway
  // leaves it in the DLQ (at worst sent twice: every consumer is idempotent).
  let moved = 0;
  while (moved < waiting) {
    const r = await sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: dlqUrl,
        MaxNumberOfMessages: Math.min(10, waiting - moved),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 60,
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = r.Messages ?? [];
    if (messages.length === 0) break;
    const sent = await sqsClient().send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length
            ? { MessageAttributes: m.MessageAttributes }
            : {}),
        })),
      }),
    );
    const ok = (sent.Successful ?? []).map((s) => messages[Number(s.Id)]).filter((m) => m !== undefined);
    if (ok.length) {
      await sqsClient().send(
        new DeleteMessageBatchCommand({
          QueueUrl: dlqUrl,
          Entries: ok.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
        }),
      );
    }
    moved += ok.length;
    if (sent.Failed?.length)
      throw new Error(`${sent.Failed.length} messages could not be sent back; they stay in the DLQ`);
  }
  return { waiting, method: 'copied', moved };
};
