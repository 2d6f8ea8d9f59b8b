import { randomUUID } from 'node:crypto';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpResponse } from '@smithy/types';
import { dynamo } from './aws';
import { metered } from './meter-hook';

/**
 * Light AWS calls: Secrets Manager, SQS SendMessage and S3 PutObject (and its presigned URL)
 * without their SDK clients. Every API handler already bundles the DynamoDB client, and its
 * resolved config holds all a call needs — the credential chain, the region, the sha256
 * constructor and the keep-alive node HTTP handler; `@smithy/signature-v4` is the signer
 * the SDK itself signs with. Measured (`npm run bench -- handlers --runs=0`): the Secrets
 * Manager client cost 13 KB in nearly every API handler, SQS ≈ 23 KB in the ones that queue,
 * S3 with its checksums and middleware ≈ 120 KB in create-import. README "Handler bench".
 *
 * One way per operation. Through here: every Secrets Manager operation; SQS SendMessage and
 * GetQueueAttributes (the producers on API paths, health's probe); S3 PutObject and its
 * presigned URL. Through the SDK clients (sqs.ts, aws.ts), in modules of their own that API
 * handlers load only on demand or never: SQS SendMessageBatch (outbound/queue-batch.ts, loaded
 * when a subscriber listens; syncs/worker-queue.ts, the scheduler), receive, delete, visibility
 * and redrive tasks; S3 GetObject's stream and HeadObject (the import worker). Tests and
 * local/ keep the SDK clients.
 *
 * Mirrors the SDK (test/unit/aws-call.test.ts signs the same request both ways and compares
 * bytes): endpoints from AWS_ENDPOINT_URL_<SERVICE> then AWS_ENDPOINT_URL, else the regional
 * `<service>.<region>.amazonaws.com` (`.com.cn` in cn- regions); standard-mode retries (3
 * attempts; throttling, 5xx and network errors; full-jitter backoff from 100 ms, 500 ms for
 * throttling). Not supported, and not needed by this service: FIPS and dual-stack endpoints
 * (the stack sets neither), the retry quota token bucket and clock-skew correction (Lambda's
 * clock is NTP-synced), S3 Express and access-point ARNs, and the SQS client's MD5 check of the
 * body it sent (TLS already protects it in transit).
 */

export type Service = 'secretsmanager' | 'sqs' | 's3';

const ENDPOINT_ENV: Record<Service, string> = {
  secretsmanager: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  s3: 'AWS_ENDPOINT_URL_S3',
};

/** The wire details of the JSON-protocol services, as their SDK clients send them. */
const JSON_PROTOCOL = {
  secretsmanager: { contentType: 'application/x-amz-json-1.1', target: 'secretsmanager' },
  // SQS answers query-protocol error codes too (x-amzn-query-error) when asked with this header.
  sqs: { contentType: 'application/x-amz-json-1.0', target: 'AmazonSQS', queryMode: true },
} as const;

/** The endpoint override, read per call (as cheap as the lookup, and tests may change it). */
const override = (service: Service): URL | undefined => {
  if (process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true') return undefined;
  const url = process.env[ENDPOINT_ENV[service]] ?? process.env.AWS_ENDPOINT_URL;
  return url ? new URL(url) : undefined;
};

const awsHost = (prefix: string, region: string) =>
  `${prefix}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;

type Config = {
  credentials: () => Promise<AwsCredentialIdentity>;
  region: () => Promise<string>;
  sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'];
  requestHandler: { handle: (r: HttpRequest) => Promise<{ response: HttpResponse }> };
  streamCollector: (body: unknown) => Promise<Uint8Array>;
};

/** The DynamoDB client's resolved config: what it signs and sends with. */
const config = (): Config => dynamo().config as unknown as Config;

const signers = new Map<string, SignatureV4>();
/** One signer per service and region; S3 signs the path as it is (keys are encoded once). */
export const signer = (service: Service, region: string): SignatureV4 => {
  const key = `${service} ${region}`;
  let s = signers.get(key);
  if (!s) {
    const c = config();
    s = new SignatureV4({
      service,
      region,
      credentials: c.credentials,
      sha256: c.sha256,
      uriEscapePath: service !== 's3',
    });
    signers.set(key, s);
  }
  return s;
};

/** An AWS error as the SDK throws it: `name` is the service's error code. */
export class AwsCallError extends Error {
  readonly $metadata: {
    httpStatusCode?: number | undefined;
    requestId?: string | undefined;
    attempts: number;
  };
  readonly $fault: 'client' | 'server';
  constructor(name: string, message: string, status: number | undefined, requestId: string | undefined) {
    super(message);
    this.name = name;
    this.$fault = status !== undefined && status < 500 ? 'client' : 'server';
    this.$metadata = { httpStatusCode: status, requestId, attempts: 1 };
  }
}

const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
export const MAX_ATTEMPTS = 3;

/** Standard mode's classification: throttling, transient (5xx, timeouts, network), or final. */
const retryKind = (e: unknown): 'throttling' | 'transient' | undefined => {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  if (status === 429 || THROTTLING.has(err.name ?? '')) return 'throttling';
  if (TRANSIENT.has(err.name ?? '') || NETWORK.has(err.code ?? '')) return 'transient';
  if (status !== undefined && [500, 502, 503, 504].includes(status)) return 'transient';
  return undefined;
};

/** Full jitter, as the SDK's DefaultRetryBackoffStrategy: random × 2^attempt × base, ≤ 20 s. */
export const backoffMs = (kind: 'throttling' | 'transient', attempt: number, random = Math.random()) =>
  Math.floor(Math.min(20_000, random * 2 ** attempt * (kind === 'throttling' ? 500 : 100)));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a fresh copy of the request (signing mutates it) up to MAX_ATTEMPTS times. */
const sendWithRetries = async (
  service: Service,
  region: string,
  build: () => HttpRequest,
  parse: (r: HttpResponse, body: Uint8Array) => unknown,
): Promise<unknown> => {
  const c = config();
  for (let attempt = 1; ; attempt++) {
    try {
      const signed = (await signer(service, region).sign(build())) as HttpRequest;
      const { response } = await c.requestHandler.handle(signed);
      const body = await c.streamCollector(response.body);
      return parse(response, body);
    } catch (e) {
      const kind = retryKind(e);
      if (e instanceof AwsCallError) (e.$metadata as { attempts: number }).attempts = attempt;
      if (!kind || attempt >= MAX_ATTEMPTS) throw e;
      await sleep(backoffMs(kind, attempt - 1));
    }
  }
};

const requestIdOf = (r: HttpResponse) =>
  r.headers['x-amzn-requestid'] ?? r.headers['x-amz-request-id'] ?? undefined;

/** The JSON protocols' error code: `__type` after its namespace, or the query-compatible code. */
const jsonError = (r: HttpResponse, body: Uint8Array): AwsCallError => {
  let parsed: { __type?: string; message?: string; Message?: string } = {};
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    // Not JSON (a proxy's page): the status alone tells the error.
  }
  const raw = parsed.__type ?? r.headers['x-amzn-errortype'] ?? `Http${r.statusCode}Error`;
  // `com.amazonaws.sqs#QueueDoesNotExist`, or `…Exception:http://internal…` in a header.
  const name = (raw.split('#').pop() ?? raw).split(':')[0] as string;
  const e = new AwsCallError(name, parsed.message ?? parsed.Message ?? name, r.statusCode, requestIdOf(r));
  const query = r.headers['x-amzn-query-error'];
  // SQS's query-protocol code (AWS.SimpleQueueService.NonExistentQueue) beside the name, as the SDK's `Code`.
  if (query) Object.assign(e, { Code: query.split(';')[0] });
  return e;
};

/**
 * Calls an operation of a JSON-protocol service (Secrets Manager, SQS): POST / with the input
 * as the body. Counted by the capacity meter as the SDK client's `<Operation>Command`.
 */
export const awsJson = async <Out = Record<string, unknown>>(
  service: 'secretsmanager' | 'sqs',
  operation: string,
  input: Record<string, unknown>,
): Promise<Out> =>
  metered(service, `${operation}Command`, input, async () => {
    const region = await config().region();
    const url = override(service) ?? new URL(`https://${awsHost(service, region)}`);
    const protocol = JSON_PROTOCOL[service];
    const body = JSON.stringify(input);
    const build = () =>
      new HttpRequest({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname || '/',
        headers: {
          'content-type': protocol.contentType,
          'x-amz-target': `${protocol.target}.${operation}`,
          ...('queryMode' in protocol ? { 'x-amzn-query-mode': 'true' } : {}),
          'content-length': String(Buffer.byteLength(body)),
          host: url.host,
        },
        body,
      });
    return (await sendWithRetries(service, region, build, (r, bytes) => {
      if (r.statusCode >= 300) throw jsonError(r, bytes);
      return bytes.length ? JSON.parse(Buffer.from(bytes).toString('utf8')) : {};
    })) as Out;
  });

/** Secrets Manager's idempotency token, as the SDK fills it for CreateSecret and PutSecretValue. */
export const clientRequestToken = (): string => randomUUID();

/** S3's REST error: `<Code>` of the XML body; a HEAD's has none, the status names it. */
const s3Error = (r: HttpResponse, body: Uint8Array): AwsCallError => {
  const xml = Buffer.from(body).toString('utf8');
  const code =
    /<Code>([^<]+)<\/Code>/.exec(xml)?.[1] ??
    (r.statusCode === 404 ? 'NotFound' : `Http${r.statusCode}Error`);
  const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? code;
  return new AwsCallError(code, message, r.statusCode, requestIdOf(r));
};

/** RFC 3986 encoding, as the SDK's escapeUri: encodeURIComponent and also !'()*. */
const escapeUri = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The object's PutObject request, unsigned: path-style under an endpoint override (fauxqs;
 * the SDK picks it by itself for an IP endpoint), virtual-hosted on AWS. The key is encoded
 * once here, segment by segment; the S3 signer signs the path as it is.
 */
const s3PutRequest = (
  region: string,
  bucket: string,
  key: string,
  headers: Record<string, string>,
  body?: Uint8Array,
): HttpRequest => {
  const o = override('s3');
  const host = o ? o.host : `${bucket}.${awsHost('s3', region)}`;
  const base = o ? `${o.pathname.replace(/\/$/, '')}/${bucket}` : '';
  return new HttpRequest({
    method: 'PUT',
    protocol: o?.protocol ?? 'https:',
    hostname: o ? o.hostname : host,
    ...(o?.port ? { port: Number(o.port) } : {}),
    path: `${base}/${key.split('/').map(escapeUri).join('/')}`,
    query: { 'x-id': 'PutObject' },
    headers: { ...headers, host },
    ...(body ? { body } : {}),
  });
};

/**
 * S3 PutObject of a body in memory (the inline CSV upload), with the headers the SDK's
 * PutObjectCommand sent for it: content type, length, and the payload's sha256 (the signer
 * adds `x-amz-content-sha256`). No checksum header: the client was set to WHEN_REQUIRED.
 */
export const s3PutObject = async (
  bucket: string,
  key: string,
  body: Uint8Array,
  contentType: string,
): Promise<void> => {
  const region = await config().region();
  await sendWithRetries(
    's3',
    region,
    () =>
      s3PutRequest(
        region,
        bucket,
        key,
        { 'content-type': contentType, 'content-length': String(body.byteLength) },
        body,
      ),
    (r, bytes) => {
      if (r.statusCode >= 300) throw s3Error(r, bytes);
      return undefined;
    },
  );
};

/**
 * A presigned PUT URL for the object, as `@aws-sdk/s3-request-presigner` makes it: host the
 * only signed header, UNSIGNED-PAYLOAD (the uploader's body is unknown), `x-id=PutObject`.
 */
export const s3PresignPut = async (bucket: string, key: string, expiresIn: number): Promise<string> => {
  const region = await config().region();
  // Spelled as the presigner spells it: the header is hoisted into the query under this name.
  const request = s3PutRequest(region, bucket, key, { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' });
  const signed = await signer('s3', region).presign(request, {
    expiresIn,
    unsignableHeaders: new Set(['content-type']),
  });
  // Sorted, as the SDK's formatUrl writes a query.
  const query = Object.entries(signed.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${escapeUri(k)}=${escapeUri(String(v))}`)
    .join('&');
  const port = signed.port ? `:${signed.port}` : '';
  return `${signed.protocol}//${signed.hostname}${port}${signed.path}${query ? `?${query}` : ''}`;
};
