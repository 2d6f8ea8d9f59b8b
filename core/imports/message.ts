import * as z from 'zod/mini';

/**
 * What the import queue carries: the imports bucket's S3 event notifications (an object
 * landed: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html),
 * the test event S3 sends when the notification is configured, and the worker's own
 * continuations of an import longer than one invocation.
 */
export const s3EventNotification = z.object({
  Records: z.array(
    z.object({
      eventSource: z.literal('aws:s3'),
      eventName: z.string(),
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        // The key arrives URL-encoded, spaces as `+`.
        object: z.object({ key: z.string(), size: z.optional(z.number()) }),
      }),
    }),
  ),
});

export const s3TestEvent = z.object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') });

export const importContinuation = z.object({
  kind: z.literal('continue'),
  tenant_id: z.string().check(z.minLength(1)),
  import_id: z.string().check(z.minLength(1)),
});

export const importMessage = z.union([s3EventNotification, s3TestEvent, importContinuation]);
export type ImportMessage = z.infer<typeof importMessage>;
export type ImportContinuation = z.infer<typeof importContinuation>;
