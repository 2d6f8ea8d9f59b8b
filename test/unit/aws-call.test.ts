import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { AwsCallError, awsJson, backoffMs, s3PresignPut, s3PutObject } from '../../core/platform/aws-call';
import { meterClient } from '../../core/platform/meter-hook';

/**
 * aws-call.ts against the SDK clients it replaces: the same operation, credentials, region and
 * clock must give byte-identical requests (method, URL, headers with Authorization, body).
 * The SDK's own telemetry headers (user agent, invocation id, attempt count) are taken off
 * before it signs: aws-call does not send them, and everything else must match.
 */

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token-example',
};
const REGION = 'eu-west-1';
const saved = { ...process.env };

beforeAll(() => {
  // The DynamoDB client aws-call borrows its config from, made after these are set.
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  process.env.AWS_SESSION_TOKEN = credentials.sessionToken;
  process.env.AWS_REGION = REGION;
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-03-04T05:06:07Z'));
});
afterAll(() => {
  vi.useRealTimers();
  process.env = saved;
});

type Wire = { method: string; url: string; headers: Record<string, string>; body: string };
const wire = (r: HttpRequest): Wire => {
  const q = new URLSearchParams(r.query as Record<string, string>).toString();
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const body = r.body === undefined ? '' : Buffer.from(r.body as string | Uint8Array).toString('utf8');
  return {
    method: r.method,
    url: `${r.protocol}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path}${q ? `?${q}` : ''}`,
    headers,
    body,
  };
};

const answer = (status: number, body: string, headers: Record<string, string> = {}) =>
  new HttpResponse({ statusCode: status, headers, body: Readable.from([Buffer.from(body)]) });

/** A request handler that keeps the request it is given and answers `body`. */
const capture = (body: string) => {
  const seen: HttpRequest[] = [];
  return {
    seen,
    handler: {
      handle: async (r: HttpRequest) => {
        seen.push(r);
        return { response: answer(200, body) };
      },
    },
  };
};

const TELEMETRY = ['user-agent', 'x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request'];
type SdkClient = {
  middlewareStack: {
    addRelativeTo: (mw: unknown, o: { name: string; relation: 'before'; toMiddleware: string }) => void;
  };
  send: (c: never) => Promise<unknown>;
};
const withoutTelemetry = <C extends SdkClient>(client: C): C => {
  client.middlewareStack.addRelativeTo(
    (next: (a: { request: HttpRequest }) => unknown) => (args: { request: HttpRequest }) => {
      for (const h of TELEMETRY) delete args.request.headers[h];
      return next(args);
    },
    { name: 'dropTelemetry', relation: 'before', toMiddleware: 'httpSigningMiddleware' },
  );
  return client;
};

/** What aws-call sent, through the DynamoDB client's handler, answered with `body`. */
const ours = async (body: string, call: () => Promise<unknown>): Promise<Wire> => {
  const seen: HttpRequest[] = [];
  const handler = dynamo().config.requestHandler as unknown as { handle: (r: HttpRequest) => unknown };
  const spy = vi.spyOn(handler, 'handle').mockImplementation(async (r: HttpRequest) => {
    seen.push(r);
    return { response: answer(200, body) };
  });
  try {
    await call();
  } finally {
    spy.mockRestore();
  }
  expect(seen).toHaveLength(1);
  return wire(seen[0] as HttpRequest);
};

const sdk = async (
  make: (h: ReturnType<typeof capture>['handler']) => SdkClient,
  command: unknown,
  body: string,
): Promise<Wire> => {
  const c = capture(body);
  await withoutTelemetry(make(c.handler)).send(command as never);
  expect(c.seen).toHaveLength(1);
  return wire(c.seen[0] as HttpRequest);
};

const sm = (requestHandler: unknown) =>
  new SecretsManagerClient({
    region: REGION,
    credentials,
    requestHandler: requestHandler as never,
  }) as unknown as SdkClient;
// md5: false: the stub's answer carries no MD5 of the body (what the SDK checks after sending).
const sqs = (requestHandler: unknown) =>
  new SQSClient({
    region: REGION,
    credentials,
    requestHandler: requestHandler as never,
    useQueueUrlAsEndpoint: false,
    md5: false,
  }) as unknown as SdkClient;
const s3 = (requestHandler?: unknown) =>
  new S3Client({
    region: REGION,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(requestHandler ? { requestHandler: requestHandler as never } : {}),
  });

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/integrations-sync';
const TOKEN = '3f2b7c1e-9a4d-4e6f-8b1a-0c2d3e4f5a6b';

// Each operation aws-call makes, with the input both sides send.
const jsonCases = [
  ['secretsmanager', 'GetSecretValue', GetSecretValueCommand, { SecretId: 'integrations/data-key' }],
  ['secretsmanager', 'DescribeSecret', DescribeSecretCommand, { SecretId: 'integrations/data-key' }],
  [
    'secretsmanager',
    'CreateSecret',
    CreateSecretCommand,
    {
      Name: 'integrations/t/k/i',
      ClientRequestToken: TOKEN,
      Description: 'Provider credentials of one integration',
      SecretString: '{"a":"b"}',
    },
  ],
  [
    'secretsmanager',
    'PutSecretValue',
    PutSecretValueCommand,
    { SecretId: 'integrations/t/k/i', ClientRequestToken: TOKEN, SecretString: '{"a":"ü"}' },
  ],
  [
    'secretsmanager',
    'DeleteSecret',
    DeleteSecretCommand,
    { SecretId: 'integrations/t/k/i', RecoveryWindowInDays: 7 },
  ],
  [
    'sqs',
    'SendMessage',
    SendMessageCommand,
    {
      QueueUrl: QUEUE,
      MessageBody: '{"run":"r1"}',
      DelaySeconds: 30,
      // As trace.ts writes it. The SDK writes members in its model's order, aws-call in the
      // caller's: the service reads JSON members in any order, the bytes differ only then.
      MessageAttributes: { request_id: { DataType: 'String', StringValue: 'req_1' } },
    },
  ],
  [
    'sqs',
    'SendMessageBatch',
    SendMessageBatchCommand,
    {
      QueueUrl: QUEUE,
      Entries: [
        { Id: '0', MessageBody: 'a', DelaySeconds: 1 },
        { Id: '1', MessageBody: 'b' },
      ],
    },
  ],
  [
    'sqs',
    'GetQueueAttributes',
    GetQueueAttributesCommand,
    { QueueUrl: QUEUE, AttributeNames: ['ApproximateNumberOfMessages'] },
  ],
] as const;

describe.each([
  ['on AWS', {}],
  [
    'under endpoint overrides',
    {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_SQS: 'http://localhost:9324/',
    },
  ],
] as const)('aws-call signs as the SDK clients do, %s', (_, env) => {
  const keys = [
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    'AWS_ENDPOINT_URL_SQS',
    'AWS_ENDPOINT_URL_S3',
  ];
  beforeAll(() => {
    for (const k of keys) delete process.env[k];
    Object.assign(process.env, env);
  });
  afterAll(() => {
    for (const k of keys) delete process.env[k];
  });

  it.each(jsonCases)('%s %s', async (service, op, Command, input) => {
    const make = service === 'sqs' ? sqs : sm;
    const expected = await sdk(make, new (Command as new (i: unknown) => unknown)(input), '{}');
    const got = await ours('{}', () => awsJson(service, op, { ...input }));
    expect(got).toEqual(expected);
    expect(got.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260304\/eu-west-1\//,
    );
  });
});

describe('S3 as the SDK client and presigner', () => {
  const key = 'imports/ten_1/imp_2';
  const body = new TextEncoder().encode('id,name\n1,Ada\n');
  afterEach(() => {
    delete process.env.AWS_ENDPOINT_URL_S3;
  });

  it.each([
    ['on AWS (virtual-hosted)', undefined],
    ['under an endpoint override (path-style)', 'http://127.0.0.1:4566'],
  ])('PutObject %s', async (_, endpoint) => {
    if (endpoint) process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    const c = capture('');
    await withoutTelemetry(s3(c.handler) as unknown as SdkClient).send(
      new PutObjectCommand({
        Bucket: 'imports-bucket',
        Key: key,
        Body: body,
        ContentType: 'text/csv',
      }) as never,
    );
    const expected = wire(c.seen[0] as HttpRequest);
    const got = await ours('', () => s3PutObject('imports-bucket', key, body, 'text/csv'));
    expect(got).toEqual(expected);
    expect(got.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['on AWS', undefined],
    ['under an endpoint override', 'http://127.0.0.1:4566'],
  ])('presigned PUT URL %s', async (_, endpoint) => {
    if (endpoint) process.env.AWS_ENDPOINT_URL_S3 = endpoint;
    const expected = await getSignedUrl(s3(), new PutObjectCommand({ Bucket: 'imports-bucket', Key: key }), {
      expiresIn: 900,
    });
    const got = await s3PresignPut('imports-bucket', key, 900);
    expect(got).toBe(expected);
    expect(got).toContain('X-Amz-Expires=900');
  });
});

describe('errors and retries against a local server', () => {
  let server: Server;
  let answers: { status: number; body: string; headers?: Record<string, string> }[] = [];
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        hits++;
        const a = answers.shift() ?? { status: 200, body: '{}' };
        res.writeHead(a.status, { 'content-type': 'application/x-amz-json-1.1', ...a.headers });
        res.end(a.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = url;
    process.env.AWS_ENDPOINT_URL_SQS = url;
  });
  afterAll(async () => {
    delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    delete process.env.AWS_ENDPOINT_URL_SQS;
    await new Promise((r) => server.close(r));
  });
  afterEach(() => {
    answers = [];
    hits = 0;
  });
  // Backoff sleeps without waiting: the retry count, not the clock, is under test.
  const noSleep = () =>
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void) => {
      fn();
      return 0;
    }) as never);

  it('names the error after __type, without its namespace', async () => {
    answers = [
      {
        status: 400,
        body: '{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException","message":"no such secret"}',
      },
    ];
    const e = await awsJson('secretsmanager', 'GetSecretValue', { SecretId: 'x' }).catch((x) => x);
    expect(e).toBeInstanceOf(AwsCallError);
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.message).toBe('no such secret');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(hits).toBe(1);
  });

  it('keeps SQS query-protocol code beside the name', async () => {
    answers = [
      {
        status: 400,
        body: '{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}',
        headers: { 'x-amzn-query-error': 'AWS.SimpleQueueService.NonExistentQueue;Sender' },
      },
    ];
    const e = await awsJson('sqs', 'SendMessage', { QueueUrl: 'q', MessageBody: 'm' }).catch((x) => x);
    expect(e.name).toBe('QueueDoesNotExist');
    expect(e.Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
  });

  it('retries throttling and 5xx, up to three attempts, then throws the last error', async () => {
    const sleeps = noSleep();
    try {
      answers = [
        { status: 400, body: '{"__type":"ThrottlingException"}' },
        { status: 503, body: '{"__type":"ServiceUnavailable"}' },
        { status: 500, body: '{"__type":"InternalServiceError"}' },
        { status: 200, body: '{"SecretString":"never reached"}' },
      ];
      const e = await awsJson('secretsmanager', 'GetSecretValue', { SecretId: 'x' }).catch((x) => x);
      expect(e.name).toBe('InternalServiceError');
      expect(e.$metadata.attempts).toBe(3);
      expect(hits).toBe(3);
    } finally {
      sleeps.mockRestore();
    }
  });

  it('succeeds on a retry after a transient error', async () => {
    const sleeps = noSleep();
    try {
      answers = [
        { status: 502, body: 'bad gateway' },
        { status: 200, body: '{"SecretString":"s"}' },
      ];
      const r = await awsJson<{ SecretString: string }>('secretsmanager', 'GetSecretValue', {
        SecretId: 'x',
      });
      expect(r.SecretString).toBe('s');
      expect(hits).toBe(2);
    } finally {
      sleeps.mockRestore();
    }
  });

  it('does not retry a client error', async () => {
    answers = [
      { status: 400, body: '{"__type":"ResourceExistsException"}' },
      { status: 200, body: '{}' },
    ];
    const e = await awsJson('secretsmanager', 'CreateSecret', { Name: 'x' }).catch((x) => x);
    expect(e.name).toBe('ResourceExistsException');
    expect(hits).toBe(1);
  });

  it('backs off with full jitter: up to 100 ms × 2^n, 500 ms × 2^n when throttled, capped at 20 s', () => {
    expect(backoffMs('transient', 0, 0.999)).toBe(99);
    expect(backoffMs('transient', 2, 0.5)).toBe(200);
    expect(backoffMs('throttling', 1, 0.5)).toBe(500);
    expect(backoffMs('throttling', 10, 1)).toBe(20_000);
    expect(backoffMs('transient', 1, 0)).toBe(0);
  });
});

describe('the capacity meter counts aws-call requests as it counted the SDK clients', () => {
  let file: string;
  beforeAll(() => {
    file = join(mkdtempSync(join(tmpdir(), 'aws-call-meter-')), 'capacity.jsonl');
    process.env.CAPACITY_LOG = file;
    process.env.CAPACITY_LABEL = 'unit';
  });
  afterAll(() => {
    delete process.env.CAPACITY_LOG;
    delete process.env.CAPACITY_LABEL;
  });
  const lines = () =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  it.each([
    ['sqs', 'SendMessage', SendMessageCommand, { QueueUrl: QUEUE, MessageBody: '{"run":"r1"}' }],
    ['secretsmanager', 'GetSecretValue', GetSecretValueCommand, { SecretId: 'integrations/data-key' }],
  ] as const)('%s %s: the same line', async (service, op, Command, input) => {
    writeFileSync(file, '');
    const c = capture('{}');
    const client = withoutTelemetry((service === 'sqs' ? sqs : sm)(c.handler));
    meterClient(service, client as never);
    await client.send(new (Command as new (i: unknown) => unknown)(input) as never);
    await ours('{}', () => awsJson(service, op, { ...input }));
    const [sdkLine, ourLine] = lines();
    expect(sdkLine).toMatchObject({ service, op: `${op}Command`, label: 'unit' });
    expect(ourLine).toEqual(sdkLine);
  });

  it('an error is counted with its name', async () => {
    writeFileSync(file, '');
    const handler = dynamo().config.requestHandler as unknown as { handle: (r: HttpRequest) => unknown };
    const spy = vi.spyOn(handler, 'handle').mockImplementation(async () => ({
      response: answer(400, '{"__type":"com.amazonaws.secretsmanager#ResourceNotFoundException"}'),
    }));
    try {
      await expect(awsJson('secretsmanager', 'GetSecretValue', { SecretId: 'gone' })).rejects.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(lines()).toEqual([
      {
        service: 'secretsmanager',
        op: 'GetSecretValueCommand',
        label: 'unit',
        secret: 'gone',
        error: 'ResourceNotFoundException',
      },
    ]);
  });
});
