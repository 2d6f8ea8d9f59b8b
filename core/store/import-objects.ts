import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Client } from '../platform/aws';
import { bucketName } from '../platform/config';
import { buckets } from '../platform/resources';

/**
 * The uploaded files, in the imports bucket under `imports/<tenant_id>/<import_id>`: the
 * S3 event names the object, and its key alone tells the worker whose import it is.
 */
const PREFIX = buckets.imports.prefix;
const SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;

export const importObjectKey = (tenantId: string, importId: string) => `${PREFIX}${tenantId}/${importId}`;

/** The tenant and import of an object key (as an S3 event carries it), or undefined. */
export const parseImportObjectKey = (key: string): { tenantId: string; importId: string } | undefined => {
  if (!key.startsWith(PREFIX)) return undefined;
  const [tenantId, importId, ...rest] = key.slice(PREFIX.length).split('/');
  if (rest.length || !tenantId || !importId || !SEGMENT.test(tenantId) || !SEGMENT.test(importId))
    return undefined;
  return { tenantId, importId };
};

export const putImportObject = async (
  tenantId: string,
  importId: string,
  body: Uint8Array,
): Promise<void> => {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName('imports'),
      Key: importObjectKey(tenantId, importId),
      Body: body,
      ContentType: 'text/csv',
    }),
  );
};

/** A URL that PUTs this import's file, valid `expiresIn` seconds. */
export const presignImportUpload = (tenantId: string, importId: string, expiresIn: number): Promise<string> =>
  getSignedUrl(
    s3Client(),
    new PutObjectCommand({ Bucket: bucketName('imports'), Key: importObjectKey(tenantId, importId) }),
    { expiresIn },
  );

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
