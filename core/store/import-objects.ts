import { s3PresignPut, s3PutObject } from '../platform/aws-call';
import { bucketName } from '../platform/config';
import { buckets } from '../platform/resources';

/**
 * The uploaded files, in the imports bucket under `imports/<tenant_id>/<import_id>`: the
 * S3 event names the object, and its key alone tells the worker whose import it is. Written
 * here through core/platform/aws-call.ts; read by the import worker through the SDK's S3
 * client (import-object-reads.ts).
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
  await s3PutObject(bucketName('imports'), importObjectKey(tenantId, importId), body, 'text/csv');
};

/** A URL that PUTs this import's file, valid `expiresIn` seconds. */
export const presignImportUpload = (tenantId: string, importId: string, expiresIn: number): Promise<string> =>
  s3PresignPut(bucketName('imports'), importObjectKey(tenantId, importId), expiresIn);
