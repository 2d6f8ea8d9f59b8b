import { AsyncLocalStorage } from 'node:async_hooks';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';

/**
 * The request id a piece of work descends from, carried across queues so one search in
 * the logs (`request_id`) follows a webhook from the receiver through the processor to the
 * records it wrote, or an API call to the sync it queued. AsyncLocalStorage rather than a
 * module variable: a worker handles a batch's records concurrently, each with its own id.
 */
const current = new AsyncLocalStorage<string>();

/** Runs `fn` with `requestId` as the trace of everything it queues. */
export const withTrace = <T>(requestId: string, fn: () => Promise<T>): Promise<T> =>
  current.run(requestId, fn);

/** The trace of the work in progress, if it has one. */
export const traceId = (): string | undefined => current.getStore();

/** SQS message attributes that carry the trace to the consumer (none outside a trace). */
export const traceAttributes = (): { MessageAttributes?: Record<string, MessageAttributeValue> } => {
  const id = traceId();
  return id ? { MessageAttributes: { request_id: { DataType: 'String', StringValue: id } } } : {};
};
