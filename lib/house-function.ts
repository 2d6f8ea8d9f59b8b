import { chmodSync, cpSync } from 'node:fs';
import * as path from 'node:path';
import {
  ArnFormat,
  AssetHashType,
  BundlingOutput,
  Duration,
  type ILocalBundling,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import {
  type BucketDefinition,
  deadLetterQueueEnv,
  type QueueDefinition,
  type TableDefinition,
} from '../core/platform/resources';
import {
  esbuildOptions,
  LAMBDA_HANDLER,
  NODE_FLAGS_WRAPPER,
  nodeEnvironment,
  pruneUnreachable,
} from './bundling';

/** Repository root: handler paths in the route table are relative to it. */
export const projectRoot = path.resolve(import.meta.dirname, '..');

/**
 * Bundles a function on this machine with esbuild's API (lib/bundling.ts: ESM, split per
 * dynamic import), instead of NodejsFunction, whose single output file would carry every
 * provider into every handler that can reach one. Never falls back to Docker: a failed build
 * throws. `entry`, `assets` and `wrapper` are fields so CDK's asset cache tells one
 * function's bundle from another's.
 */
class EsbuildBundling implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly assets?: string,
    /** Ship lib/node-flags.sh beside the entry (the function has Node flags of its own). */
    readonly wrapper = false,
  ) {}

  tryBundle(outputDir: string): boolean {
    const result = buildSync(esbuildOptions(path.join(projectRoot, this.entry), outputDir, projectRoot));
    if (result.metafile) pruneUnreachable(result.metafile, outputDir, projectRoot);
    // Read with fs at run time, relative to the module (`new URL('./assets/…', import.meta.url)`):
    // that module is in the entry's own graph, so it lands in index.mjs, where the source module
    // sat beside its folder — the same path works locally and on Lambda.
    if (this.assets)
      cpSync(path.join(projectRoot, this.assets), path.join(outputDir, 'assets'), { recursive: true });
    if (this.wrapper) {
      const target = path.join(outputDir, NODE_FLAGS_WRAPPER);
      cpSync(path.join(projectRoot, 'lib', NODE_FLAGS_WRAPPER), target);
      // Lambda runs it as a program; the asset's zip keeps the file's mode.
      chmodSync(target, 0o755);
    }
    return true;
  }
}

export type HouseFunctionProps = {
  /** Module exporting `handler`, relative to the repository root (as in functions/routes.ts). */
  entry: string;
  description?: string;
  /** @default 10 seconds — API Gateway gives up on an integration after 30 s anyway. */
  timeout?: Duration;
  /** @default 512 MB — on Lambda, CPU grows with memory, which shortens cold starts. */
  memorySize?: number;
  /**
   * Active X-Ray tracing: each invocation a trace, with its AWS SDK calls (DynamoDB, SQS,
   * Secrets Manager) as segments Lambda records. @default true
   */
  tracing?: boolean;
  /**
   * Extra Node flags, on node's command line after the Lambda runtime's own (through
   * lib/node-flags.sh; see nodeEnvironment in lib/bundling.ts).
   */
  nodeFlags?: readonly string[];
  /**
   * Reserved concurrency: the most instances that may run at once, set aside from the
   * account's pool — for public functions, so a flood of them cannot starve the rest of the
   * account (or run up its bill). @default none (the account's unreserved pool)
   */
  reservedConcurrentExecutions?: number;
  /** A folder (from the repository root) copied beside the bundle as `assets/`. */
  assets?: string;
};

/**
 * A positive whole number from CDK context (`cdk deploy -c name=value`, or `context` in
 * cdk.json), else `fallback`; `off` means none. Anything else fails the synth.
 */
export const contextNumber = (scope: Construct, name: string, fallback: number): number | undefined => {
  const raw: unknown = scope.node.tryGetContext(name);
  if (raw === undefined) return fallback;
  if (raw === 'off') return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`context ${name} must be a whole number ≥ 1 or "off", not ${String(raw)}`);
  return n;
};

/**
 * The one way this service makes a Lambda: Node 24 on ARM64, an ESM bundle split per
 * dynamic import (lib/bundling.ts) with the AWS SDK bundled and source maps on, its own log group with a retention, and its own role
 * that may only write to that log group until a binder grants more.
 *
 * The binders set a handler's environment variable and the least-privilege grant for it
 * in one call, so a function can't get a table name without the permission or vice versa.
 */
export class HouseFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });

    // Our own role instead of the default one: the default attaches the
    // AWSLambdaBasicExecutionRole managed policy, which may write to every log group in
    // the account. This one may write to the function's own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.entry}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new lambda.Function(this, 'Fn', {
      code: lambda.Code.fromAsset(projectRoot, {
        // Hashed by what was built, not by the whole repository.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          local: new EsbuildBundling(props.entry, props.assets, Boolean(props.nodeFlags?.length)),
          // Required by the type, never used: local bundling always answers (or throws).
          image: lambda.Runtime.NODEJS_24_X.bundlingImage,
          outputType: BundlingOutput.NOT_ARCHIVED,
        },
      }),
      handler: LAMBDA_HANDLER,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      ...(props.description === undefined ? {} : { description: props.description }),
      tracing: props.tracing === false ? lambda.Tracing.DISABLED : lambda.Tracing.ACTIVE,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      // The bundle ships its source map: stack traces point at the .ts source. Node flags of
      // the function's own go through a wrapper to hold against the runtime's.
      environment: nodeEnvironment(props.nodeFlags),
    });

    if (props.tracing !== false) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
      });
    }
  }

  /** Sets the table's name env var; grants read (get/query/scan) or read and write on it and its indexes. */
  bindTable(table: Table, def: Pick<TableDefinition, 'env' | 'indexes'>, mode: 'read' | 'write'): this {
    this.fn.addEnvironment(def.env, table.tableName);
    if (mode === 'read') table.grants.readData(this.fn);
    else table.grants.readWriteData(this.fn);
    if (def.indexes.length > 0) {
      const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnTable);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        reason: `Queries the GSIs of the ${def.env} table; index ARNs are only expressible as <table>/index/*.`,
      });
    }
    return this;
  }

  /**
   * Sets the queue's URL env var and grants: `send` SendMessage; `describe`
   * GetQueueAttributes (readiness probe).
   */
  bindQueue(queue: Queue, def: QueueDefinition, mode: 'send' | 'describe'): this {
    this.fn.addEnvironment(def.env, queue.queueUrl);
    if (mode === 'send') queue.grants.sendMessages(this.fn);
    else queue.grants.actions(this.fn, ['sqs:GetQueueAttributes']);
    return this;
  }

  /**
   * Makes this function the queue's consumer: an event source of `batchSize` messages
   * reporting partial batch failures, which grants receive/delete/change-visibility (a
   * worker may hand a message back with a visibility delay). Sets the queue's URL env var.
   */
  /**
   * Consumes the queue. `maxConcurrency`: the most invocations its pollers start at once
   * (SQS event sources take 2 or more; 1 is raised to 2), matched to the reservation.
   */
  consumeQueue(queue: Queue, def: QueueDefinition, batchSize: number, maxConcurrency?: number): this {
    this.fn.addEnvironment(def.env, queue.queueUrl);
    // The queue's visibility timeout is derived from this number; a consumer that ran
    // longer than it would see its messages redelivered while still working on them.
    const timeout = this.fn.timeout?.toSeconds();
    if (timeout !== def.consumerTimeoutSeconds) {
      throw new Error(
        `${this.node.path}: consumer of ${def.id} must time out after ${def.consumerTimeoutSeconds}s (has ${timeout}s)`,
      );
    }
    this.fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize,
        reportBatchItemFailures: true,
        ...(maxConcurrency === undefined ? {} : { maxConcurrency: Math.max(2, maxConcurrency) }),
      }),
    );
    return this;
  }

  /**
   * Sets the env var of the queue's DLQ URL and grants: `send` SendMessage, for code that
   * dead-letters itself; `drain` receive, delete and change visibility, for code that ends
   * the work of its dead letters (no event source: the code polls it when it runs).
   */
  bindDeadLetterQueue(dlq: Queue, def: QueueDefinition, mode: 'send' | 'drain' = 'send'): this {
    this.fn.addEnvironment(deadLetterQueueEnv(def), dlq.queueUrl);
    if (mode === 'send') dlq.grants.sendMessages(this.fn);
    else dlq.grants.consumeMessages(this.fn);
    return this;
  }

  /** Sets the secret's ARN env var; `read` grants GetSecretValue, `describe` DescribeSecret only. */
  bindSecret(secret: Secret, def: { readonly env: string }, mode: 'read' | 'describe'): this {
    this.fn.addEnvironment(def.env, secret.secretArn);
    if (mode === 'read') {
      secret.grantRead(this.fn);
    } else {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:DescribeSecret'],
          resources: [secret.secretArn],
        }),
      );
    }
    return this;
  }

  /**
   * The integration-secret family (one secret per integration, under a fixed prefix):
   * `read` GetSecretValue/DescribeSecret; `write` also creates, updates and deletes them.
   * Secret names are created at run time, so the grant is on the prefix.
   */
  bindIntegrationSecrets(prefix: string, mode: 'read' | 'write'): this {
    const read = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
    const write = [
      'secretsmanager:CreateSecret',
      'secretsmanager:PutSecretValue',
      'secretsmanager:DeleteSecret',
      'secretsmanager:TagResource',
    ];
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: mode === 'read' ? read : [...read, ...write],
        resources: [
          Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${prefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${prefix}*]`,
      reason: 'One secret per integration, created at run time: the grant covers exactly that name prefix.',
    });
    return this;
  }

  /**
   * Sets the bucket's name env var and grants on the objects under its prefix only: `read`
   * GetObject (and ListBucket of the prefix, so a missing object is a 404, not a 403);
   * `write` PutObject — which a URL presigned with this role's credentials then also has.
   */
  bindBucket(bucket: Bucket, def: Pick<BucketDefinition, 'env' | 'prefix'>, mode: 'read' | 'write'): this {
    this.fn.addEnvironment(def.env, bucket.bucketName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: mode === 'read' ? ['s3:GetObject'] : ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${def.prefix}*`)],
      }),
    );
    if (mode === 'read') {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringLike: { 's3:prefix': `${def.prefix}*` } },
        }),
      );
    }
    const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnBucket);
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${def.prefix}*]`,
      reason: `Objects are named at run time (one per upload): the grant covers exactly the ${def.prefix} prefix.`,
    });
    return this;
  }

  /** Sets each table's name env var and grants DescribeTable on it (the readiness probe); no data access. */
  describeTables(tables: readonly { table: Table; def: Pick<TableDefinition, 'env'> }[]): this {
    if (tables.length === 0) return this;
    for (const { table, def } of tables) this.fn.addEnvironment(def.env, table.tableName);
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:DescribeTable'],
        resources: tables.map(({ table }) => table.tableArn),
      }),
    );
    return this;
  }
}
