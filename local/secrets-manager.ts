import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';

/**
 * A local Secrets Manager speaking the service's JSON protocol (POST /, X-Amz-Target:
 * secretsmanager.<Operation>, application/x-amz-json-1.1), for the operations the
 * service uses. No maintained emulator exists on npm (DESIGN.md). Versions carry the
 * AWSCURRENT/AWSPREVIOUS stages; deletion without ForceDeleteWithoutRecovery schedules
 * it as AWS does, so a deleted secret can't be read and its name can't be reused.
 * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Operations.html
 */

type Version = { id: string; string?: string; binary?: string; stages: string[]; created: number };
type Secret = {
  name: string;
  arn: string;
  description?: string;
  versions: Version[];
  created: number;
  changed: number;
  deleted?: number;
};

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const REGION = process.env.AWS_REGION ?? 'us-east-1';
const now = () => Date.now() / 1000;
const arnFor = (name: string) =>
  `arn:aws:secretsmanager:${REGION}:000000000000:secret:${name}-${randomBytes(3).toString('hex')}`;

/** Requests served, by operation and secret name (the id as sent when no secret has it). */
export type RequestCounts = Record<string, Record<string, number>>;

export class SecretsStore {
  private secrets: Secret[] = [];
  private readonly counts: RequestCounts = {};

  constructor(private readonly file?: string) {
    if (file) {
      try {
        this.secrets = JSON.parse(readFileSync(file, 'utf8')) as Secret[];
      } catch {
        this.secrets = [];
      }
    }
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.secrets), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private find(id: unknown, { allowDeleted = false } = {}): Secret {
    if (typeof id !== 'string' || id === '')
      throw new AwsError('InvalidParameterException', 'SecretId is required.');
    const s = this.secrets.find((x) => x.name === id || x.arn === id);
    if (!s)
      throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    if (s.deleted && !allowDeleted) {
      throw new AwsError(
        'InvalidRequestException',
        'You tried to perform the operation on a secret that is currently marked deleted.',
      );
    }
    return s;
  }

  private addVersion(s: Secret, input: Record<string, unknown>): Version {
    const id = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : randomUUID();
    const existing = s.versions.find((v) => v.id === id);
    if (existing) return existing; // idempotent retry with the same token
    for (const v of s.versions) {
      v.stages = v.stages.includes('AWSCURRENT')
        ? ['AWSPREVIOUS']
        : v.stages.filter((x) => x !== 'AWSPREVIOUS');
    }
    const v: Version = { id, stages: ['AWSCURRENT'], created: now() };
    if (typeof input.SecretString === 'string') v.string = input.SecretString;
    if (typeof input.SecretBinary === 'string') v.binary = input.SecretBinary;
    // Versions without a stage are dropped, as AWS eventually does.
    s.versions = [...s.versions.filter((x) => x.stages.length > 0), v];
    s.changed = now();
    return v;
  }

  /**
   * How many requests of each operation this store served, per secret: what the tests read to
   * show that unauthenticated input does not reach Secrets Manager per request.
   */
  requestCounts(): RequestCounts {
    return structuredClone(this.counts);
  }

  private count(op: string, input: Record<string, unknown>): void {
    const id = input.SecretId ?? input.Name;
    const s = this.secrets.find((x) => x.name === id || x.arn === id);
    const name = s?.name ?? (typeof id === 'string' ? id : '(none)');
    const byName = this.counts[op] ?? {};
    byName[name] = (byName[name] ?? 0) + 1;
    this.counts[op] = byName;
  }

  handle(op: string, input: Record<string, unknown>): Record<string, unknown> {
    this.count(op, input);
    switch (op) {
      case 'CreateSecret': {
        const name = input.Name;
        if (typeof name !== 'string' || !/^[\w/+=.@-]{1,512}$/.test(name)) {
          throw new AwsError('InvalidParameterException', 'Invalid name.');
        }
        if (this.secrets.some((x) => x.name === name)) {
          throw new AwsError(
            'ResourceExistsException',
            `The operation failed because the secret ${name} already exists.`,
          );
        }
        const s: Secret = { name, arn: arnFor(name), versions: [], created: now(), changed: now() };
        if (typeof input.Description === 'string') s.description = input.Description;
        this.secrets.push(s);
        const v =
          input.SecretString !== undefined || input.SecretBinary !== undefined
            ? this.addVersion(s, input)
            : undefined;
        this.save();
        return { ARN: s.arn, Name: s.name, ...(v ? { VersionId: v.id } : {}) };
      }
      case 'GetSecretValue': {
        const s = this.find(input.SecretId);
        const stage = typeof input.VersionStage === 'string' ? input.VersionStage : 'AWSCURRENT';
        const v =
          typeof input.VersionId === 'string'
            ? s.versions.find((x) => x.id === input.VersionId)
            : s.versions.find((x) => x.stages.includes(stage));
        if (!v) {
          throw new AwsError(
            'ResourceNotFoundException',
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
          );
        }
        return {
          ARN: s.arn,
          Name: s.name,
          VersionId: v.id,
          VersionStages: v.stages,
          CreatedDate: v.created,
          ...(v.string !== undefined ? { SecretString: v.string } : {}),
          ...(v.binary !== undefined ? { SecretBinary: v.binary } : {}),
        };
      }
      case 'PutSecretValue': {
        const s = this.find(input.SecretId);
        const v = this.addVersion(s, input);
        this.save();
        return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: v.stages };
      }
      case 'UpdateSecret': {
        const s = this.find(input.SecretId);
        if (typeof input.Description === 'string') s.description = input.Description;
        const v =
          input.SecretString !== undefined || input.SecretBinary !== undefined
            ? this.addVersion(s, input)
            : undefined;
        s.changed = now();
        this.save();
        return { ARN: s.arn, Name: s.name, ...(v ? { VersionId: v.id } : {}) };
      }
      case 'DeleteSecret': {
        const s = this.find(input.SecretId, { allowDeleted: true });
        if (input.ForceDeleteWithoutRecovery === true) {
          this.secrets = this.secrets.filter((x) => x !== s);
          this.save();
          return { ARN: s.arn, Name: s.name, DeletionDate: now() };
        }
        const days = typeof input.RecoveryWindowInDays === 'number' ? input.RecoveryWindowInDays : 30;
        s.deleted = now() + days * 86400;
        this.save();
        return { ARN: s.arn, Name: s.name, DeletionDate: s.deleted };
      }
      case 'DescribeSecret': {
        const s = this.find(input.SecretId, { allowDeleted: true });
        return {
          ARN: s.arn,
          Name: s.name,
          ...(s.description !== undefined ? { Description: s.description } : {}),
          CreatedDate: s.created,
          LastChangedDate: s.changed,
          ...(s.deleted ? { DeletedDate: s.deleted } : {}),
          VersionIdsToStages: Object.fromEntries(s.versions.map((v) => [v.id, v.stages])),
        };
      }
      default:
        throw new AwsError('UnknownOperationException', `Operation ${op} is not supported here.`);
    }
  }
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, type?: string) => {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(type ? { 'x-amzn-errortype': type } : {}),
  });
  res.end(JSON.stringify(body));
};

export type LocalSecretsManager = {
  server: Server;
  url: string;
  store: SecretsStore;
  stop: () => Promise<void>;
};

export const startSecretsManager = async (
  options: { port?: number; file?: string } = {},
): Promise<LocalSecretsManager> => {
  const store = new SecretsStore(options.file);
  const server = createServer(async (req, res) => {
    const target = req.headers['x-amz-target'];
    const body = await readBody(req);
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { status: 'ok' });
    // Not part of AWS's protocol: the request counters, for tests in other processes.
    if (req.method === 'GET' && req.url === '/_local/request-counts')
      return send(res, 200, store.requestCounts());
    if (req.method !== 'POST' || typeof target !== 'string' || !target.startsWith('secretsmanager.')) {
      return send(
        res,
        400,
        { __type: 'UnknownOperationException', message: 'Missing X-Amz-Target.' },
        'UnknownOperationException',
      );
    }
    let input: Record<string, unknown>;
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return send(
        res,
        400,
        { __type: 'SerializationException', message: 'Bad JSON.' },
        'SerializationException',
      );
    }
    try {
      send(res, 200, store.handle(target.slice('secretsmanager.'.length), input));
    } catch (e) {
      if (e instanceof AwsError) return send(res, e.status, { __type: e.type, message: e.message }, e.type);
      send(res, 500, { __type: 'InternalServiceError', message: 'internal error' }, 'InternalServiceError');
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    store,
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
