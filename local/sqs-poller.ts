import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { functionNameOf, lambdaContext } from './lambda-context';
import { loadHandler } from './load-handler';

type Worker = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/**
 * The Lambda SQS event source, locally: long-polls a queue, invokes the worker with a
 * real `SQSEvent` batch, and deletes only the messages not listed in
 * `batchItemFailures` (ReportBatchItemFailures). Failed ones reappear after the
 * visibility timeout and reach the DLQ through the queue's own redrive policy.
 */
export const pollQueue = (options: {
  sqs: SQSClient;
  queueUrl: string;
  handler: string;
  batchSize: number;
  timeoutMs: number;
}): { stop: () => Promise<void> } => {
  let running = true;
  const arn = `arn:aws:sqs:us-east-1:000000000000:${options.queueUrl.split('/').pop()}`;
  const loop = (async () => {
    const worker = await loadHandler<Worker>(options.handler);
    while (running) {
      try {
        const r = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize,
            WaitTimeSeconds: 1, // short, so stop() returns promptly
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
        );
        const messages = r.Messages ?? [];
        if (messages.length === 0) continue;
        const records: SQSRecord[] = messages.map((m) => ({
          messageId: m.MessageId as string,
          receiptHandle: m.ReceiptHandle as string,
          body: m.Body ?? '',
          attributes: {
            ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
            SentTimestamp: m.Attributes?.SentTimestamp ?? String(Date.now()),
            SenderId: m.Attributes?.SenderId ?? 'local',
            ApproximateFirstReceiveTimestamp:
              m.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
          },
          // As Lambda hands them over: the string attributes the producer set (the trace's request id).
          messageAttributes: Object.fromEntries(
            Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
              k,
              {
                dataType: v.DataType ?? 'String',
                stringValue: v.StringValue,
                stringListValues: [],
                binaryListValues: [],
              },
            ]),
          ),
          md5OfBody: m.MD5OfBody ?? '',
          eventSource: 'aws:sqs',
          eventSourceARN: arn,
          awsRegion: 'us-east-1',
        }));
        let failed = new Set<string>(records.map((x) => x.messageId));
        try {
          const result = await worker(
            { Records: records },
            lambdaContext(functionNameOf(options.handler), options.timeoutMs),
          );
          failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (e) {
          // A thrown error fails the whole batch, as on AWS.
          console.error(`[sqs] ${functionNameOf(options.handler)} failed its batch`, e);
        }
        const done = records.filter((x) => !failed.has(x.messageId));
        if (done.length) {
          await options.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((x, i) => ({ Id: String(i), ReceiptHandle: x.receiptHandle })),
            }),
          );
        }
      } catch (e) {
        if (running) {
          console.error('[sqs] poll failed', (e as Error).message);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
};
