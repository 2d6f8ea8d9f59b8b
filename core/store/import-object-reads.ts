import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../platform/aws';
import { bucketName } from '../platform/config';
import { importObjectKey } from './import-objects';

/**
 * Reading an uploaded import file: the import worker's HeadObject and ranged GetObject stream,
 * through the SDK's S3 client (a stream is what its body parser is for). Apart from
 * import-objects.ts, whose writes go through core/platform/aws-call.ts, so that create-import
 * bundles no S3 client.
 */

/** The object's size, or undefined when nothing was uploaded (yet). */
export const importObjectSize = async (tenantId: string, importId: string): Promise<number | undefined> => {
  try {
    const r = await s3Client().send(
      new HeadObjectCommand({ Bucket: bucketName('imports'), Key: importObjectKey(tenantId, importId) }),
    );
    return r.ContentLength ?? 0;
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((e as Error).name === 'NotFound' || status === 404) return undefined;
    throw e;
  }
};

/** The object's bytes from `start` (inclusive) to `end` (exclusive; absent: to its end), streamed. */
export const readImportObject = async (
  tenantId: string,
  importId: string,
  start: number,
  end?: number,
): Promise<Readable> => {
  const r = await s3Client().send(
    new GetObjectCommand({
      Bucket: bucketName('imports'),
      Key: importObjectKey(tenantId, importId),
      Range: `bytes=${start}-${end === undefined ? '' : end - 1}`,
    }),
  );
  return r.Body as Readable;
};
