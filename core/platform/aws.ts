import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { meterClient } from './meter-hook';

/**
 * SDK clients as module singletons, created on first use so a handler only pays for
 * the clients it touches. Endpoints come from the SDK's standard variables
 * (AWS_ENDPOINT_URL_DYNAMODB, …), which is how `npm start` points them at local
 * counterparts without any "local mode" in the code.
 */
let ddb: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;

// The SQS and Secrets Manager clients are in core/platform/sqs.ts and secrets-manager.ts,
// modules of their own (they say why).

export const dynamo = (): DynamoDBDocumentClient => {
  if (!ddb) {
    const base = new DynamoDBClient({});
    // The capacity bench's request meter, only with CAPACITY_LOG set (meter-hook.ts).
    meterClient('dynamodb', base);
    ddb = DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } });
  }
  return ddb;
};

/**
 * The import worker's reads (import-object-reads.ts); PutObject and the presigned upload URL
 * go through aws-call.ts. Checksums only where S3 requires them (and validated only then):
 * by default the SDK adds a CRC32 to requests, and the unit test that compares aws-call's
 * PutObject with this client's expects none. (Locally, an IP endpoint makes the SDK use
 * path-style addressing by itself.)
 */
export const s3Client = (): S3Client => {
  s3 ??= new S3Client({
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
};
