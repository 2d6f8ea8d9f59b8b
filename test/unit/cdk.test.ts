import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buckets, deadLetterQueueEnv, queues, tables } from '../../core/platform/resources';
import { corsPaths, type Route, routes } from '../../functions/routes';
import { type Worker, workers } from '../../functions/workers';
import { THROTTLE_DEFAULTS } from '../../lib/api';
import { createApp } from '../../lib/app';
import { IntegrationsStack } from '../../lib/integrations-stack';
import { WEBHOOK_RECEIVER_RESERVED_CONCURRENCY } from '../../lib/workers';

// Bundling skipped: these tests check the template, not the bundles (`cdk synth` does).
const testContext = { 'aws:cdk:bundling-stacks': [] };

const PREFLIGHT = 1; // answers the OPTIONS route of every end-user path

type Ref = { Ref: string };
type GetAtt = { 'Fn::GetAtt': [string, string] };
type Resource<P> = { Properties: P; DeletionPolicy?: string };
type LambdaProps = {
  Runtime: string;
  ReservedConcurrentExecutions?: number;
  Architectures: string[];
  Timeout: number;
  MemorySize?: number;
  Description?: string;
  Role: GetAtt;
  Environment?: { Variables: Record<string, unknown> };
};
type QueueProps = {
  VisibilityTimeout?: number;
  MessageRetentionPeriod?: number;
  SqsManagedSseEnabled?: boolean;
  RedrivePolicy?: { deadLetterTargetArn: GetAtt; maxReceiveCount: number };
};
type StatementJson = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type PolicyProps = { PolicyDocument: { Statement: StatementJson[] }; Roles: Ref[] };

// Written out here rather than imported, so a wrong `routeKey` can't agree with itself.
const expectedRouteKey = (r: Route): string => (r.path === '$default' ? '$default' : `${r.method} ${r.path}`);

const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchGetItem'];

let template: Template;
const of = <P>(type: string): [string, Resource<P>][] =>
  Object.entries(template.findResources(type)) as [string, Resource<P>][];
const one = <P>(type: string, logicalId: string): Resource<P> => {
  const found = template.findResources(type)[logicalId] as Resource<P> | undefined;
  if (!found) throw new Error(`no ${type} ${logicalId}`);
  return found;
};
const getAttId = (v: unknown): string => {
  const id = (v as Partial<GetAtt>)['Fn::GetAtt']?.[0];
  if (id === undefined) throw new Error(`not a Fn::GetAtt: ${JSON.stringify(v)}`);
  return id;
};
const actionsOf = (s: StatementJson): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** Every action granted to a function through its role's inline policies. */
const roleActions = (fnLogicalId: string): string[] => {
  const roleId = getAttId(one<LambdaProps>('AWS::Lambda::Function', fnLogicalId).Properties.Role);
  return of<PolicyProps>('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement.filter((s) => s.Effect === 'Allow'))
    .flatMap(actionsOf);
};

/** Route key → logical id of the Lambda behind it (route → integration → function). */
const routeFunctions = (): Map<string, string> => {
  const byKey = new Map<string, string>();
  for (const [, route] of of<{ RouteKey: string; Target: { 'Fn::Join': [string, [string, Ref]] } }>(
    'AWS::ApiGatewayV2::Route',
  )) {
    const integrationId = route.Properties.Target['Fn::Join'][1][1].Ref;
    const integration = one<{ IntegrationUri: GetAtt }>('AWS::ApiGatewayV2::Integration', integrationId);
    byKey.set(route.Properties.RouteKey, getAttId(integration.Properties.IntegrationUri));
  }
  return byKey;
};

beforeAll(() => {
  // The stack alone, without the cdk-nag plugin: a nag finding fails the nag tests below,
  // not every test of the file.
  template = Template.fromStack(new IntegrationsStack(new App({ context: testContext }), 'Integrations'));
}, 60_000);

describe('functions', () => {
  it('has one Lambda per route row, one per worker row, the preflight function, and nothing else', () => {
    expect(workers.length).toBeGreaterThanOrEqual(5);
    expect(of('AWS::Lambda::Function')).toHaveLength(routes.length + workers.length + PREFLIGHT);
  });

  it('runs every function on nodejs24.x, arm64, with source maps', () => {
    const fns = of<LambdaProps>('AWS::Lambda::Function');
    expect(fns.length).toBeGreaterThan(0);
    for (const [id, fn] of fns) {
      expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      // Extra Node flags only where a worker's row asks (the sync worker caps V8's young
      // generation), through the wrapper that puts them after the runtime's heap flags.
      const row = workers.find((w) => w.description === fn.Properties.Description);
      const env = fn.Properties.Environment?.Variables ?? {};
      expect(env.NODE_OPTIONS, id).toBe('--enable-source-maps');
      expect(env.NODE_FLAGS, id).toBe(row?.nodeFlags?.length ? row.nodeFlags.join(' ') : undefined);
      expect(env.AWS_LAMBDA_EXEC_WRAPPER, id).toBe(
        row?.nodeFlags?.length ? '/var/task/node-flags.sh' : undefined,
      );
    }
    expect(workers.some((w) => w.nodeFlags?.length)).toBe(true);
  });

  it('gives every function its own log group with a retention', () => {
    for (const [id, fn] of of<{ LoggingConfig?: { LogGroup: Ref } }>('AWS::Lambda::Function')) {
      const logGroupId = fn.Properties.LoggingConfig?.LogGroup.Ref;
      expect(logGroupId, id).toBeDefined();
      expect(
        one<{ RetentionInDays?: number }>('AWS::Logs::LogGroup', logGroupId ?? '').Properties.RetentionInDays,
        id,
      ).toBe(30);
    }
  });

  it('attaches no managed policy (AWSLambdaBasicExecutionRole may write to any log group)', () => {
    for (const [id, role] of of<{ ManagedPolicyArns?: unknown[] }>('AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('grants no wildcard actions', () => {
    const actions = of<PolicyProps>('AWS::IAM::Policy').flatMap(([, p]) =>
      p.Properties.PolicyDocument.Statement.flatMap(actionsOf),
    );
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });
});

describe('HTTP API', () => {
  it('has exactly one route per row, with its route key, and the CORS preflights', () => {
    const keys = of<{ RouteKey: string }>('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey);
    const preflights = corsPaths().map((p) => `OPTIONS ${p.path}`);
    expect(keys.sort()).toEqual([...routes.map(expectedRouteKey), ...preflights].sort());
    expect(keys).toContain('$default');
  });

  it('sends each route to its own Lambda', () => {
    const fns = routeFunctions();
    expect(new Set(routes.map((r) => fns.get(expectedRouteKey(r)))).size).toBe(routes.length);
  });

  it('writes access logs from its stage', () => {
    const stages = of<{ AccessLogSettings?: { DestinationArn: GetAtt; Format: string } }>(
      'AWS::ApiGatewayV2::Stage',
    );
    expect(stages).toHaveLength(1);
    const settings = stages[0]?.[1].Properties.AccessLogSettings;
    expect(settings?.Format).toContain('$context.requestId');
    // The Lambda's request id, so an access line joins the function's own log lines.
    expect(settings?.Format).toContain('$context.integration.requestId');
    one('AWS::Logs::LogGroup', getAttId(settings?.DestinationArn));
  });

  describe.each(routes.map((r) => [expectedRouteKey(r), r] as const))('%s', (key, route) => {
    const fnId = (): string => {
      const id = routeFunctions().get(key);
      if (!id) throw new Error(`no function behind ${key}`);
      return id;
    };

    it('is granted what its `access` says and no more', () => {
      const actions = roleActions(fnId());
      const tableModes = Object.values(route.access.tables ?? {});
      const queueModes = Object.values(route.access.queues ?? {});
      const secretMode = route.access.secrets?.dataKey;
      expect(actions.some((a) => WRITE_ACTIONS.includes(a))).toBe(tableModes.includes('write'));
      expect(actions.some((a) => READ_ACTIONS.includes(a))).toBe(tableModes.length > 0);
      expect(actions.includes('dynamodb:DescribeTable')).toBe(
        tableModes.length > 0 || route.access.describeTables === true,
      );
      expect(actions.includes('sqs:SendMessage')).toBe(queueModes.includes('send'));
      expect(actions.includes('sqs:GetQueueAttributes')).toBe(queueModes.length > 0);
      expect(actions.some((a) => a.startsWith('sqs:Receive') || a === 'sqs:DeleteMessage')).toBe(false);
      expect(actions.includes('secretsmanager:GetSecretValue')).toBe(secretMode === 'read');
      expect(actions.includes('secretsmanager:DescribeSecret')).toBe(secretMode !== undefined);
    });

    it('gets the env vars its handler reads', () => {
      const env = one<LambdaProps>('AWS::Lambda::Function', fnId()).Properties.Environment?.Variables ?? {};
      expect(env).toHaveProperty('WEBHOOK_BASE_URL');
      for (const name of Object.keys(route.access.tables ?? {}) as (keyof typeof tables)[]) {
        expect(env).toHaveProperty(tables[name].env);
      }
      for (const name of Object.keys(route.access.queues ?? {}) as (keyof typeof queues)[]) {
        expect(env).toHaveProperty(queues[name].env);
      }
      if (route.access.secrets?.dataKey) expect(env).toHaveProperty('DATA_KEY_SECRET_ID');
    });
  });
});

describe('throttling at the edge', () => {
  type StageProps = {
    DefaultRouteSettings?: { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number };
  };
  const stageOf = (t: Template) => {
    const stages = Object.values(t.findResources('AWS::ApiGatewayV2::Stage')) as Resource<StageProps>[];
    expect(stages).toHaveLength(1);
    return stages[0]?.Properties.DefaultRouteSettings;
  };
  const receiverId = (t: Template) => {
    const [url] = Object.values(t.findResources('AWS::Lambda::Url')) as Resource<{
      TargetFunctionArn: GetAtt;
    }>[];
    return getAttId(url?.Properties.TargetFunctionArn);
  };

  it('throttles every route at the stage, rate and burst', () => {
    expect(stageOf(template)).toEqual({
      ThrottlingRateLimit: THROTTLE_DEFAULTS.apiThrottleRateLimit,
      ThrottlingBurstLimit: THROTTLE_DEFAULTS.apiThrottleBurstLimit,
    });
  });

  it('reserves concurrency for every public route’s function (from the route table’s auth), and only those', () => {
    const fns = routeFunctions();
    const publicRoutes = routes.filter((r) => r.auth === 'none');
    expect(publicRoutes.map(expectedRouteKey)).toEqual(
      expect.arrayContaining(['GET /health', 'GET /health/ready', 'GET /v1/oauth/callback', '$default']),
    );
    for (const r of routes) {
      const fn = one<LambdaProps>('AWS::Lambda::Function', fns.get(expectedRouteKey(r)) as string);
      expect(fn.Properties.ReservedConcurrentExecutions, expectedRouteKey(r)).toBe(
        r.auth === 'none' ? THROTTLE_DEFAULTS.publicReservedConcurrency : undefined,
      );
    }
  });

  it('reserves concurrency for the public webhook receiver', () => {
    const receiver = one<LambdaProps>('AWS::Lambda::Function', receiverId(template));
    expect(receiver.Properties.ReservedConcurrentExecutions).toBe(WEBHOOK_RECEIVER_RESERVED_CONCURRENCY);
  });

  it('gives each worker its own budget: reserved concurrency, and the same maximum on its queue’s event source', () => {
    type Esm = { FunctionName: Ref; ScalingConfig?: { MaximumConcurrency?: number } };
    const mappings = of<Esm>('AWS::Lambda::EventSourceMapping');
    for (const w of workers) {
      const found = of<LambdaProps>('AWS::Lambda::Function').filter(
        ([, fn]) => fn.Properties.Description === w.description,
      );
      expect(found, w.entry).toHaveLength(1);
      const id = found[0]?.[0] as string;
      expect(
        one<LambdaProps>('AWS::Lambda::Function', id).Properties.ReservedConcurrentExecutions,
        w.entry,
      ).toBe(w.concurrency.default);
      if (w.trigger.kind !== 'queue') continue;
      const m = mappings.filter(([, e]) => e.Properties.FunctionName.Ref === id);
      expect(m, w.entry).toHaveLength(1);
      expect(m[0]?.[1].Properties.ScalingConfig?.MaximumConcurrency, w.entry).toBe(
        Math.max(2, w.concurrency.default),
      );
    }
  });

  it('leaves the account’s 100 unreserved executions of its default 1,000', () => {
    const reserved = of<LambdaProps>('AWS::Lambda::Function').reduce(
      (sum, [, f]) => sum + (f.Properties.ReservedConcurrentExecutions ?? 0),
      0,
    );
    expect(reserved).toBeGreaterThan(0);
    expect(reserved).toBeLessThanOrEqual(900);
  });

  it('takes every number from CDK context, and `off` removes it', () => {
    const t = Template.fromStack(
      new IntegrationsStack(
        new App({
          context: {
            ...testContext,
            apiThrottleRateLimit: '50',
            apiThrottleBurstLimit: 'off',
            publicReservedConcurrency: 3,
            // Every worker's budget off: only the public functions' 3s remain.
            ...Object.fromEntries(workers.map((w) => [w.concurrency.context, 'off'])),
          },
        }),
        'Configured',
      ),
    );
    expect(stageOf(t)).toEqual({ ThrottlingRateLimit: 50 });
    const limits = Object.values(t.findResources('AWS::Lambda::Function')).map(
      (f) => (f as Resource<LambdaProps>).Properties.ReservedConcurrentExecutions,
    );
    expect(limits.filter((n) => n !== undefined)).toEqual(
      [...routes.filter((r) => r.auth === 'none'), 'preflight'].map(() => 3),
    );
    const receiver = t.findResources('AWS::Lambda::Function')[receiverId(t)] as Resource<LambdaProps>;
    expect(receiver.Properties.ReservedConcurrentExecutions).toBeUndefined();
    expect(
      () =>
        new IntegrationsStack(
          new App({ context: { ...testContext, publicReservedConcurrency: '0' } }),
          'Zero',
        ),
    ).toThrow(/publicReservedConcurrency/);
  });
});

describe('CORS', () => {
  const preflightKeys = () => [...routeFunctions()].filter(([key]) => key.startsWith('OPTIONS '));

  it('is not the API-wide setting, which would answer for every route and override the handlers', () => {
    for (const [id, api] of of<{ CorsConfiguration?: unknown }>('AWS::ApiGatewayV2::Api')) {
      expect(api.Properties.CorsConfiguration, id).toBeUndefined();
    }
  });

  it('answers the preflight of every end-user path, and of no other path, with one function', () => {
    const endUserPaths = [...new Set(routes.filter((r) => r.auth === 'end_user').map((r) => r.path))];
    expect(endUserPaths.length).toBeGreaterThan(3);
    expect(
      preflightKeys()
        .map(([key]) => key)
        .sort(),
    ).toEqual(endUserPaths.map((p) => `OPTIONS ${p}`).sort());
    const fns = new Set(preflightKeys().map(([, fn]) => fn));
    expect(fns.size).toBe(1);
    // Not the function of any row: no business code answers a preflight.
    const rowFns = new Set(routes.map((r) => routeFunctions().get(expectedRouteKey(r))));
    expect(rowFns.has([...fns][0])).toBe(false);
  });

  it('the preflight function touches nothing and is capped like every public function', () => {
    const [[, fnId]] = preflightKeys() as [[string, string]];
    const actions = roleActions(fnId);
    // Its own log group and its X-Ray segments, nothing else.
    expect(actions.filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('xray:')).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
    expect(one<LambdaProps>('AWS::Lambda::Function', fnId).Properties.ReservedConcurrentExecutions).toBe(
      THROTTLE_DEFAULTS.publicReservedConcurrency,
    );
  });
});

describe('queues', () => {
  const all = () => of<QueueProps>('AWS::SQS::Queue');
  const dlqIds = () =>
    new Set(
      all().flatMap(([, q]) =>
        q.Properties.RedrivePolicy ? [getAttId(q.Properties.RedrivePolicy.deadLetterTargetArn)] : [],
      ),
    );

  it('has a DLQ behind every queue that is not itself a DLQ', () => {
    const main = all().filter(([id]) => !dlqIds().has(id));
    expect(main).toHaveLength(Object.keys(queues).length);
    for (const [id, q] of main) {
      expect(q.Properties.RedrivePolicy?.maxReceiveCount, id).toBeGreaterThan(0);
    }
    for (const id of dlqIds()) {
      expect(one<QueueProps>('AWS::SQS::Queue', id).Properties.MessageRetentionPeriod, id).toBe(
        14 * 24 * 3600,
      );
    }
  });

  it('encrypts every queue and refuses non-TLS requests', () => {
    const policies = of<{ Queues: Ref[]; PolicyDocument: { Statement: StatementJson[] } }>(
      'AWS::SQS::QueuePolicy',
    );
    for (const [id, q] of all()) {
      expect(q.Properties.SqsManagedSseEnabled, id).toBe(true);
      const denyInsecure = policies
        .filter(([, p]) => p.Properties.Queues.some((r) => r.Ref === id))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .some(
          (s) => s.Effect === 'Deny' && JSON.stringify(s.Condition).includes('"aws:SecureTransport":"false"'),
        );
      expect(denyInsecure, id).toBe(true);
    }
  });

  it('reports partial batch failures on every SQS event source', () => {
    const mappings = of<{ FunctionResponseTypes?: string[] }>('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(Object.keys(queues).length);
    for (const [id, m] of mappings) {
      expect(m.Properties.FunctionResponseTypes, id).toEqual(['ReportBatchItemFailures']);
    }
  });

  it('keeps messages invisible for at least 6× their consumer’s timeout', () => {
    const mappings = of<{ EventSourceArn: GetAtt; FunctionName: Ref }>('AWS::Lambda::EventSourceMapping');
    expect(mappings.length).toBeGreaterThan(0);
    for (const [id, m] of mappings) {
      const queue = one<QueueProps>('AWS::SQS::Queue', getAttId(m.Properties.EventSourceArn));
      const fn = one<LambdaProps>('AWS::Lambda::Function', m.Properties.FunctionName.Ref);
      expect(queue.Properties.VisibilityTimeout ?? 30, id).toBeGreaterThanOrEqual(6 * fn.Properties.Timeout);
    }
  });
});

describe('data', () => {
  it('enables PITR on every table and keeps it on stack deletion', () => {
    const classic = of<{ PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean } }>(
      'AWS::DynamoDB::Table',
    );
    const global = of<{
      Replicas: { PointInTimeRecoverySpecification?: { PointInTimeRecoveryEnabled: boolean } }[];
    }>('AWS::DynamoDB::GlobalTable');
    expect(classic.length + global.length).toBe(Object.keys(tables).length);
    for (const [id, t] of classic) {
      expect(t.Properties.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, id).toBe(true);
      expect(t.DeletionPolicy, id).toBe('Retain');
    }
    for (const [id, t] of global) {
      for (const replica of t.Properties.Replicas) {
        expect(replica.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, id).toBe(true);
      }
      expect(t.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('generates the data key in the shape core/keys/data-key.ts parses, and keeps it', () => {
    const secrets = of<{ GenerateSecretString: Record<string, unknown> }>('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(1);
    const [, secret] = secrets[0] ?? [];
    expect(secret?.Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: JSON.stringify({ current: '1' }),
      GenerateStringKey: 'k1',
      PasswordLength: 64,
    });
    expect(secret?.DeletionPolicy).toBe('Retain');
  });
});

describe('workers, one per row of functions/workers.ts', () => {
  /** A worker's Lambda: the one whose description is its row's (descriptions are unique). */
  const fnOf = (w: Worker): [string, Resource<LambdaProps>] => {
    const found = of<LambdaProps>('AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Description === w.description,
    );
    expect(found, w.entry).toHaveLength(1);
    return found[0] as [string, Resource<LambdaProps>];
  };
  const refId = (v: unknown): string | undefined => (v as Partial<Ref> | undefined)?.Ref;

  it('has unique entries and descriptions', () => {
    expect(new Set(workers.map((w) => w.entry)).size).toBe(workers.length);
    expect(new Set(workers.map((w) => w.description)).size).toBe(workers.length);
  });

  describe.each(workers.map((w) => [w.entry, w] as const))('%s', (_, w) => {
    it('has its row’s timeout and memory', () => {
      const [, fn] = fnOf(w);
      expect(fn.Properties.Timeout).toBe(w.timeoutSeconds);
      expect(fn.Properties.MemorySize).toBe(w.memoryMb ?? 512);
    });

    it('is granted what its `access` says and its trigger needs, and no more', () => {
      const [id] = fnOf(w);
      const actions = roleActions(id);
      const tableModes = Object.values(w.access.tables ?? {});
      const dlqModes = Object.values(w.access.deadLetterQueues ?? {});
      const consumes = w.trigger.kind === 'queue' || dlqModes.includes('drain');
      const sends = Object.values(w.access.queues ?? {}).length + dlqModes.filter((m) => m === 'send').length;
      const secretRead =
        w.access.secrets?.dataKey === 'read' || w.access.secrets?.integrationSecrets !== undefined;
      expect(actions.some((a) => WRITE_ACTIONS.includes(a))).toBe(tableModes.includes('write'));
      expect(actions.some((a) => READ_ACTIONS.includes(a))).toBe(tableModes.length > 0);
      expect(actions.includes('sqs:SendMessage')).toBe(sends > 0);
      expect(actions.includes('sqs:ReceiveMessage')).toBe(consumes);
      expect(actions.includes('sqs:DeleteMessage')).toBe(consumes);
      expect(actions.includes('secretsmanager:GetSecretValue')).toBe(secretRead);
      expect(actions.includes('secretsmanager:CreateSecret')).toBe(
        w.access.secrets?.integrationSecrets === 'write',
      );
    });

    it('gets the env vars its access names', () => {
      const [, fn] = fnOf(w);
      const env = fn.Properties.Environment?.Variables ?? {};
      for (const name of Object.keys(w.access.tables ?? {}) as (keyof typeof tables)[]) {
        expect(env).toHaveProperty(tables[name].env);
      }
      for (const name of Object.keys(w.access.queues ?? {}) as (keyof typeof queues)[]) {
        expect(env).toHaveProperty(queues[name].env);
      }
      for (const name of Object.keys(w.access.deadLetterQueues ?? {}) as (keyof typeof queues)[]) {
        expect(env).toHaveProperty(queues[name].env.replace(/_URL$/, '_DLQ_URL'));
      }
      expect(env.DATA_KEY_SECRET_ID !== undefined).toBe(w.access.secrets?.dataKey !== undefined);
      expect(env.PUBLIC_API_URL !== undefined).toBe(w.access.publicApiUrl === true);
    });

    it('is invoked by its trigger, and by nothing else', () => {
      const [id, fn] = fnOf(w);
      const mappings = of<{ FunctionName: Ref; EventSourceArn: GetAtt; BatchSize?: number }>(
        'AWS::Lambda::EventSourceMapping',
      ).filter(([, m]) => m.Properties.FunctionName.Ref === id);
      const rules = of<{ ScheduleExpression?: string; Targets: { Arn: GetAtt }[] }>(
        'AWS::Events::Rule',
      ).filter(([, r]) => r.Properties.Targets.some((t) => getAttId(t.Arn) === id));
      const urls = of<{ AuthType: string; TargetFunctionArn: GetAtt }>('AWS::Lambda::Url').filter(
        ([, u]) => getAttId(u.Properties.TargetFunctionArn) === id,
      );
      const t = w.trigger;
      expect(mappings).toHaveLength(t.kind === 'queue' ? 1 : 0);
      expect(rules).toHaveLength(t.kind === 'schedule' ? 1 : 0);
      expect(urls).toHaveLength(t.kind === 'function_url' ? 1 : 0);
      if (t.kind === 'queue') {
        const m = mappings[0]?.[1].Properties;
        expect(m?.BatchSize).toBe(t.batchSize);
        // The queue it consumes is the one its env var names.
        expect(getAttId(m?.EventSourceArn)).toBe(
          refId(fn.Properties.Environment?.Variables[queues[t.queue].env]),
        );
        expect(t.message).toBeDefined();
      } else if (t.kind === 'schedule') {
        const unit = t.everyMinutes === 1 ? 'minute' : 'minutes';
        expect(rules[0]?.[1].Properties.ScheduleExpression).toBe(`rate(${t.everyMinutes} ${unit})`);
      } else {
        expect(urls[0]?.[1].Properties.AuthType).toBe('NONE');
      }
    });
  });
});

describe('CSV imports: bucket → queue → worker', () => {
  type BucketProps = {
    BucketName: unknown;
    BucketEncryption: {
      ServerSideEncryptionConfiguration: { ServerSideEncryptionByDefault: { SSEAlgorithm: string } }[];
    };
    PublicAccessBlockConfiguration: Record<string, boolean>;
    LifecycleConfiguration?: { Rules: { ExpirationInDays?: number; Status: string }[] };
    LoggingConfiguration?: { DestinationBucketName: Ref };
    NotificationConfiguration?: {
      QueueConfigurations: {
        Event: string;
        Queue: GetAtt;
        Filter: { S3Key: { Rules: { Name: string; Value: string }[] } };
      }[];
    };
  };
  const importsBucket = () => {
    const found = of<BucketProps>('AWS::S3::Bucket').filter(([id]) => id.includes(buckets.imports.id));
    expect(found).toHaveLength(1);
    return found[0] as [string, Resource<BucketProps>];
  };
  const importQueueId = () => {
    const found = of<QueueProps>('AWS::SQS::Queue').filter(
      ([id]) => id.includes(queues.import.id) && !id.includes('Dlq'),
    );
    expect(found).toHaveLength(1);
    return (found[0] as [string, Resource<QueueProps>])[0];
  };

  it('keeps uploads private, encrypted, TLS-only, logged, and deletes them after 7 days', () => {
    const [id, b] = importsBucket();
    expect(
      b.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0]?.ServerSideEncryptionByDefault
        .SSEAlgorithm,
    ).toBe('AES256');
    expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(b.Properties.LifecycleConfiguration?.Rules).toContainEqual({
      ExpirationInDays: 7,
      Status: 'Enabled',
    });
    expect(b.Properties.LoggingConfiguration?.DestinationBucketName.Ref).toBeDefined();
    const tlsOnly = of<{
      Bucket: Ref;
      PolicyDocument: { Statement: (StatementJson & { Condition?: unknown })[] };
    }>('AWS::S3::BucketPolicy').filter(([, p]) => p.Properties.Bucket.Ref === id);
    expect(tlsOnly).toHaveLength(1);
    expect(tlsOnly[0]?.[1].Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('notifies the import queue (with a DLQ) of objects created under its prefix, and the queue lets only that bucket send', () => {
    const [, b] = importsBucket();
    const queueId = importQueueId();
    expect(b.Properties.NotificationConfiguration?.QueueConfigurations).toEqual([
      {
        Event: 's3:ObjectCreated:*',
        Queue: { 'Fn::GetAtt': [queueId, 'Arn'] },
        Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: buckets.imports.prefix }] } },
      },
    ]);
    expect(one<QueueProps>('AWS::SQS::Queue', queueId).Properties.RedrivePolicy?.maxReceiveCount).toBe(
      queues.import.maxReceiveCount,
    );
    const policy = of<{
      Queues: Ref[];
      PolicyDocument: { Statement: (StatementJson & { Principal?: unknown })[] };
    }>('AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues.some((q) => q.Ref === queueId));
    const allow = policy?.[1].Properties.PolicyDocument.Statement.filter((st) => st.Effect === 'Allow');
    expect(allow).toHaveLength(1);
    expect(allow?.[0]).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
    });
    // Its SourceArn is the bucket's own name.
    const nameStart = (b.Properties.BucketName as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1][0];
    expect(nameStart).toBe('integrations-importsbucket-');
    expect(JSON.stringify(allow?.[0]?.Condition)).toContain(`:s3:::${nameStart}`);
    expect(JSON.stringify(allow?.[0]?.Condition)).toContain('aws:SourceAccount');
  });

  it('grants S3 only to the rows that ask, only on the prefix: the import route PutObject, the worker GetObject', () => {
    const [bucketId] = importsBucket();
    const prefixArn = {
      'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${buckets.imports.prefix}*`]],
    };
    const s3Statements = (fnId: string) => {
      const roleId = getAttId(one<LambdaProps>('AWS::Lambda::Function', fnId).Properties.Role);
      return of<PolicyProps>('AWS::IAM::Policy')
        .filter(([, p]) => p.Properties.Roles.some((r) => r.Ref === roleId))
        .flatMap(([, p]) => p.Properties.PolicyDocument.Statement)
        .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')));
    };
    const byKey = routeFunctions();
    for (const r of routes) {
      const fnId = byKey.get(expectedRouteKey(r)) as string;
      const st = s3Statements(fnId);
      if (r.access.buckets?.imports === 'write') {
        expect(st, expectedRouteKey(r)).toEqual([
          { Effect: 'Allow', Action: 's3:PutObject', Resource: prefixArn },
        ]);
      } else expect(st, expectedRouteKey(r)).toEqual([]);
    }
    expect(routes.filter((r) => r.access.buckets).map(expectedRouteKey)).toEqual(['POST /v1/imports']);
    for (const w of workers) {
      const [fnId] = of<LambdaProps>('AWS::Lambda::Function').find(
        ([, fn]) => fn.Properties.Description === w.description,
      ) as [string, unknown];
      const st = s3Statements(fnId);
      if (w.access.buckets?.imports === 'read') {
        expect(st).toContainEqual({ Effect: 'Allow', Action: 's3:GetObject', Resource: prefixArn });
        expect(st.flatMap(actionsOf).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
      } else expect(st, w.entry).toEqual([]);
    }
    expect(workers.filter((w) => w.access.buckets).map((w) => w.entry)).toEqual([
      'functions/workers/import-worker.ts',
    ]);
  });
});

describe('webhooks and scheduler', () => {
  it('exposes the receiver on a function URL without IAM auth', () => {
    const urls = of<{ AuthType: string; TargetFunctionArn: GetAtt }>('AWS::Lambda::Url');
    expect(urls).toHaveLength(1);
    expect(urls[0]?.[1].Properties.AuthType).toBe('NONE');
    const receiver = getAttId(urls[0]?.[1].Properties.TargetFunctionArn);
    // One durable write on the acknowledgement path: the queue's. No table write (the
    // processor claims delivery ids), nothing consumed.
    const actions = roleActions(receiver);
    expect(actions).toContain('sqs:SendMessage');
    expect(actions.filter((a) => WRITE_ACTIONS.includes(a))).toEqual([]);
    expect(
      actions.filter((a) => a.startsWith('sqs:') && a !== 'sqs:SendMessage' && !a.startsWith('sqs:GetQueue')),
    ).toEqual([]);
  });

  it('fires the scheduler every minute', () => {
    const rules = of<{ ScheduleExpression?: string; Targets: { Arn: GetAtt }[] }>('AWS::Events::Rule');
    const schedule = rules.find(([, r]) => r.Properties.ScheduleExpression === 'rate(1 minute)');
    expect(schedule).toBeDefined();
    const target = getAttId(schedule?.[1].Properties.Targets[0]?.Arn);
    expect(one<LambdaProps>('AWS::Lambda::Function', target).Properties.Runtime).toBe('nodejs24.x');
  });
});

describe('self-healing syncs: the scheduler ends dead-lettered and stalled runs', () => {
  const queueIds = (dlq: boolean) =>
    of<QueueProps>('AWS::SQS::Queue')
      .filter(([id]) => id.includes(queues.sync.id) && id.includes('Dlq') === dlq)
      .map(([id]) => id);

  it('drains the sync DLQ from the scheduler: receive and delete there, on no other queue, and no event source', () => {
    const [scheduler] = of<LambdaProps>('AWS::Lambda::Function').find(
      ([, fn]) =>
        fn.Properties.Description === workers.find((w) => w.trigger.kind === 'schedule')?.description,
    ) as [string, Resource<LambdaProps>];
    const [dlqId] = queueIds(true);
    const [syncId] = queueIds(false);
    expect(dlqId).toBeDefined();
    const env = one<LambdaProps>('AWS::Lambda::Function', scheduler).Properties.Environment?.Variables ?? {};
    expect(env[deadLetterQueueEnv(queues.sync)]).toEqual({ Ref: dlqId });
    const roleId = getAttId(one<LambdaProps>('AWS::Lambda::Function', scheduler).Properties.Role);
    const statements = of<PolicyProps>('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const receiving = statements.filter((st) => actionsOf(st).includes('sqs:ReceiveMessage'));
    expect(receiving).toHaveLength(1);
    expect(actionsOf(receiving[0] as StatementJson)).toContain('sqs:DeleteMessage');
    expect(getAttId((receiving[0] as StatementJson).Resource)).toBe(dlqId);
    // It sends the tick's shard messages (the shard workers queue the due runs), not runs.
    const sending = statements.filter((st) => actionsOf(st).includes('sqs:SendMessage'));
    const shardQueue = of<QueueProps>('AWS::SQS::Queue').find(
      ([id]) => id.includes(queues.schedulerShard.id) && !id.includes('Dlq'),
    )?.[0];
    expect(sending.map((st) => getAttId(st.Resource))).toContain(shardQueue);
    expect(sending.map((st) => getAttId(st.Resource))).not.toContain(syncId);
    expect(sending.map((st) => getAttId(st.Resource))).not.toContain(dlqId);
    const mappings = of<{ EventSourceArn: GetAtt }>('AWS::Lambda::EventSourceMapping');
    expect(mappings.filter(([, m]) => getAttId(m.Properties.EventSourceArn) === dlqId)).toEqual([]);
  });

  it('keeps the sync DLQ: max receives from the shared definition, 14 days to redrive', () => {
    const [syncId] = queueIds(false);
    const [dlqId] = queueIds(true);
    const q = one<QueueProps>('AWS::SQS::Queue', syncId as string).Properties;
    expect(q.RedrivePolicy?.maxReceiveCount).toBe(queues.sync.maxReceiveCount);
    expect(getAttId(q.RedrivePolicy?.deadLetterTargetArn)).toBe(dlqId);
    expect(one<QueueProps>('AWS::SQS::Queue', dlqId as string).Properties.MessageRetentionPeriod).toBe(
      14 * 86400,
    );
  });

  it('sweeps from a sparse, narrow index of the state table (keys plus four ids), not a scan', () => {
    type TableProps = {
      GlobalSecondaryIndexes?: {
        IndexName: string;
        KeySchema: { AttributeName: string; KeyType: string }[];
        Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
      }[];
    };
    const [, state] = of<TableProps>('AWS::DynamoDB::Table').find(([id]) => id.includes(tables.state.id)) as [
      string,
      Resource<TableProps>,
    ];
    const active = state.Properties.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'active');
    expect(active?.KeySchema).toEqual([
      { AttributeName: 'run_shard', KeyType: 'HASH' },
      { AttributeName: 'heartbeat_at', KeyType: 'RANGE' },
    ]);
    expect(active?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['tenant_id', 'connection_id', 'sync', 'current_run_id'],
    });
    // The schedule, narrow: what a shard worker's claim needs, not the sync's checkpoint.
    const schedule = state.Properties.GlobalSecondaryIndexes?.find((i) => i.IndexName === 'schedule_v2');
    expect(schedule?.KeySchema).toEqual([
      { AttributeName: 'schedule_shard', KeyType: 'HASH' },
      { AttributeName: 'next_run_at', KeyType: 'RANGE' },
    ]);
    expect(schedule?.Projection).toEqual({
      ProjectionType: 'INCLUDE',
      NonKeyAttributes: ['tenant_id', 'connection_id', 'sync', 'frequency', 'paused', 'status'],
    });
    // The other indexes keep every attribute: `schedule` until the release after schedule_v2
    // (docs/scale.md, "Narrowing the schedule index").
    for (const i of state.Properties.GlobalSecondaryIndexes ?? []) {
      if (i.IndexName !== 'active' && i.IndexName !== 'schedule_v2') {
        expect(i.Projection.ProjectionType).toBe('ALL');
      }
    }
    expect(state.Properties.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toContain('schedule');
  });
});

describe('scheduler fan-out: tick → scheduler-shard queue → shard workers', () => {
  const shardWorker = workers.find((w) => w.entry === 'functions/workers/scheduler-shard.ts') as Worker;
  const fnId = () =>
    (
      of<LambdaProps>('AWS::Lambda::Function').find(
        ([, fn]) => fn.Properties.Description === shardWorker.description,
      ) as [string, Resource<LambdaProps>]
    )[0];
  const queueId = (dlq: boolean) =>
    of<QueueProps>('AWS::SQS::Queue').find(
      ([id]) => id.includes(queues.schedulerShard.id) && id.includes('Dlq') === dlq,
    )?.[0] as string;

  it('has an encrypted, TLS-only queue with a DLQ after its max receives', () => {
    const q = one<QueueProps>('AWS::SQS::Queue', queueId(false)).Properties;
    expect(q.SqsManagedSseEnabled).toBe(true);
    expect(q.RedrivePolicy?.maxReceiveCount).toBe(queues.schedulerShard.maxReceiveCount);
    expect(getAttId(q.RedrivePolicy?.deadLetterTargetArn)).toBe(queueId(true));
    expect(q.VisibilityTimeout).toBe(6 * queues.schedulerShard.consumerTimeoutSeconds);
    expect(one<QueueProps>('AWS::SQS::Queue', queueId(true)).Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('feeds the shard worker one shard an invocation, as many at once as its reserved concurrency', () => {
    type Esm = {
      EventSourceArn: GetAtt;
      FunctionName: Ref;
      BatchSize: number;
      ScalingConfig?: { MaximumConcurrency?: number };
    };
    const m = of<Esm>('AWS::Lambda::EventSourceMapping').filter(
      ([, e]) => e.Properties.FunctionName.Ref === fnId(),
    );
    expect(m).toHaveLength(1);
    const e = m[0]?.[1].Properties as Esm;
    expect(getAttId(e.EventSourceArn)).toBe(queueId(false));
    expect(e.BatchSize).toBe(1);
    expect(e.ScalingConfig?.MaximumConcurrency).toBe(16);
    const fn = one<LambdaProps>('AWS::Lambda::Function', fnId()).Properties;
    expect(fn.ReservedConcurrentExecutions).toBe(16);
    expect(fn.Timeout).toBe(queues.schedulerShard.consumerTimeoutSeconds);
    // It claims syncs, writes runs and sends sync messages; it sends no tick messages.
    const actions = roleActions(fnId());
    expect(actions).toEqual(
      expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'sqs:SendMessage']),
    );
  });
});

describe('observability (lib/observability.ts, a nested stack)', () => {
  let obs: Template;
  let stack: IntegrationsStack;
  beforeAll(() => {
    stack = new IntegrationsStack(new App({ context: testContext }), 'Integrations');
    obs = Template.fromStack(stack.observability);
  }, 60_000);
  type AlarmProps = {
    AlarmActions: unknown[];
    OKActions?: unknown[];
    Metrics?: {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Namespace: string } };
    }[];
    MetricName?: string;
    Namespace?: string;
    Threshold: number;
    ComparisonOperator: string;
    TreatMissingData?: string;
  };
  const alarms = () =>
    Object.entries(obs.findResources('AWS::CloudWatch::Alarm')) as [string, { Properties: AlarmProps }][];
  const alarm = (prefix: string) => {
    const found = alarms().filter(([id]) => id.startsWith(prefix));
    expect(found, prefix).toHaveLength(1);
    return (found[0] as [string, { Properties: AlarmProps }])[1].Properties;
  };

  it('traces every function with X-Ray (active)', () => {
    for (const [id, fn] of of<LambdaProps & { TracingConfig?: { Mode: string } }>('AWS::Lambda::Function')) {
      expect(fn.Properties.TracingConfig?.Mode, id).toBe('Active');
    }
  });

  it('has an encrypted alarm topic every alarm notifies, its ARN a stack output', () => {
    const topics = Object.values(obs.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    expect(
      (topics[0] as { Properties: { KmsMasterKeyId?: unknown } }).Properties.KmsMasterKeyId,
    ).toBeDefined();
    expect(alarms().length).toBeGreaterThan(10);
    for (const [id, a] of alarms()) expect(a.Properties.AlarmActions, id).toHaveLength(1);
    expect(Object.keys(template.findOutputs('AlarmTopicArn'))).toEqual(['AlarmTopicArn']);
  });

  it.each(Object.keys(queues))(
    'alarms on the %s dead-letter queue holding any message, and on its backlog',
    (name) => {
      const cap = name.charAt(0).toUpperCase() + name.slice(1);
      const dlq = alarm(`${cap}DeadLetters`);
      expect(dlq.MetricName).toBe('ApproximateNumberOfMessagesVisible');
      expect(dlq.Threshold).toBe(0);
      expect(dlq.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(alarm(`${cap}QueueBacklog`).MetricName).toBe('ApproximateAgeOfOldestMessage');
    },
  );

  it('alarms on the API 5xx rate and on the scheduler not running (no data is the failure)', () => {
    const api = alarm('Api5xxRate');
    const names = (api.Metrics ?? []).map((m) => m.MetricStat?.Metric.MetricName).filter(Boolean);
    expect(names.sort()).toEqual(['5xx', 'Count']);
    const scheduler = alarm('SchedulerNotRunning');
    expect(scheduler.MetricName).toBe('Invocations');
    expect(scheduler.TreatMissingData).toBe('breaching');
  });

  it('alarms on errors and throttles of every function: each worker alone, the API functions in groups', () => {
    const covered = new Map<string, Set<string>>([
      ['Errors', new Set()],
      ['Throttles', new Set()],
    ]);
    for (const [, a] of alarms()) {
      for (const m of a.Properties.Metrics ?? []) {
        const name = m.MetricStat?.Metric.MetricName;
        const dims = (m.MetricStat?.Metric as { Dimensions?: { Name: string; Value: unknown }[] } | undefined)
          ?.Dimensions;
        const fn = dims?.find((d) => d.Name === 'FunctionName')?.Value;
        if (name && covered.has(name) && fn) covered.get(name)?.add(JSON.stringify(fn));
      }
    }
    const functions = of('AWS::Lambda::Function').length;
    expect(covered.get('Errors')?.size).toBe(functions);
    expect(covered.get('Throttles')?.size).toBe(functions);
  });

  it('counts token refreshes and tool calls from log lines, by provider and outcome, never by tenant', () => {
    const filters = Object.values(obs.findResources('AWS::Logs::MetricFilter')) as {
      Properties: {
        MetricTransformations: { MetricName: string; Dimensions?: { Key: string; Value: string }[] }[];
      };
    }[];
    const names = new Set(filters.map((f) => f.Properties.MetricTransformations[0]?.MetricName));
    expect([...names].sort()).toEqual(['TokenRefreshes', 'ToolCalls']);
    for (const f of filters) {
      const keys = (f.Properties.MetricTransformations[0]?.Dimensions ?? []).map((d) => d.Key).sort();
      expect(keys).toEqual(['outcome', 'provider']);
    }
  });

  it('has a dashboard of the workers’ metrics, the API and the queues', () => {
    const dashboards = Object.values(obs.findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: unknown };
    }[];
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(stack.resolve(dashboards[0]?.Properties.DashboardBody));
    for (const metric of [
      'SyncRuns',
      'RecordsWritten',
      'RunDuration',
      'WebhookEvents',
      'OutboundDeliveries',
      'TokenRefreshes',
      'ToolCalls',
      '5xx',
      'ApproximateAgeOfOldestMessage',
    ])
      expect(body, metric).toContain(metric);
  });
});

describe('cdk-nag AwsSolutions', () => {
  const unacknowledgedErrors = (app: App): string[] =>
    new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error')
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

  it('finds errors in a stack that breaks its rules (the check is live)', () => {
    const app = new App({ context: testContext });
    new Queue(new Stack(app, 'Bad'), 'NoDlqNoTls');
    const errors = unacknowledgedErrors(app);
    expect(errors.some((e) => e.startsWith('AwsSolutions-SQS3 '))).toBe(true);
    expect(errors.some((e) => e.startsWith('AwsSolutions-SQS4 '))).toBe(true);
  });

  it('reports no unacknowledged error, and synth passes the validation plugin', () => {
    const { app } = createApp({ context: testContext });
    // Synth runs the plugin registered by createApp and throws on a failing report.
    expect(() => app.synth()).not.toThrow();
    expect(unacknowledgedErrors(app)).toEqual([]);
  });
});
