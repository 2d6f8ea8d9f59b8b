import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type BucketName,
  buckets,
  integrationSecretPrefix,
  type QueueName,
  queues,
  secrets,
  type TableName,
  tables,
} from '../core/platform/resources';
import {
  type Access,
  CORS_PREFLIGHT_HANDLER,
  corsPaths,
  type Route,
  routeKey,
  routes,
} from '../functions/routes';
import { contextNumber, HouseFunction } from './house-function';

/**
 * Edge throttling defaults, each overridable with `cdk deploy -c <name>=<n>` (or `off`):
 * - `apiThrottleRateLimit` / `apiThrottleBurstLimit`: the stage's default for every route,
 *   requests per second (steady) and burst. API Gateway's account default is 10,000 / 5,000;
 *   ours is far below it, and above what the per-key (600/min) and per-tenant (3,000/min)
 *   limits let any single tenant send.
 * - `publicReservedConcurrency`: reserved concurrency of each public route's function (every
 *   `auth: 'none'` row of functions/routes.ts — health probes, the OAuth callback, the
 *   not-found catch-all, and any public route added later). An account has 1,000 concurrent
 *   executions by default and must keep 100 unreserved.
 */
export const THROTTLE_DEFAULTS = {
  apiThrottleRateLimit: 200,
  apiThrottleBurstLimit: 400,
  publicReservedConcurrency: 10,
} as const;

export type ApiProps = {
  tables: Record<TableName, Table>;
  queues: Record<QueueName, Queue>;
  dataKey: Secret;
  buckets: Record<BucketName, Bucket>;
  /** The webhook function URL + 'webhooks'; integrations answer their `webhook_url` under it. */
  webhookBaseUrl: string;
};

// `functions/http/get-provider.ts` → `GetProvider`: readable names in the console.
const constructId = (handler: string): string =>
  path
    .basename(handler, path.extname(handler))
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const routeKeyOf = (route: Route): HttpRouteKey =>
  route.path === '$default' ? HttpRouteKey.DEFAULT : HttpRouteKey.with(route.path, HttpMethod[route.method]);

const authReason: Record<Route['auth'], string> = {
  none: 'Public by design (health probes, the connect start and OAuth callback, the connect page and its assets, not-found catch-all); the handler answers without tenant data or checks a single-use session or state.',
  secret_key:
    'Authenticated in the Lambda: the auth middleware looks the secret key up by its hash in the state table.',
  end_user:
    'Authenticated in the Lambda: secret key (looked up by hash) or end-user token, checked by the auth middleware.',
};

/**
 * The HTTP API: one Lambda and one route per row of functions/routes.ts, each Lambda
 * granted exactly what its row's `access` says.
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  /** The route's Lambda, by route key (`GET /health`, `$default`, …). */
  readonly functions: ReadonlyMap<string, HouseFunction>;
  /** Answers the `OPTIONS` route of every end-user path. */
  readonly preflight: HouseFunction;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Integrations service public API',
      // Our own stage below, so it can have access logs.
      createDefaultStage: false,
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.ONE_MONTH });
    const rateLimit = contextNumber(this, 'apiThrottleRateLimit', THROTTLE_DEFAULTS.apiThrottleRateLimit);
    const burstLimit = contextNumber(this, 'apiThrottleBurstLimit', THROTTLE_DEFAULTS.apiThrottleBurstLimit);
    const publicConcurrency = contextNumber(
      this,
      'publicReservedConcurrency',
      THROTTLE_DEFAULTS.publicReservedConcurrency,
    );
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      // Before any Lambda runs: a flood is refused with 429 at the edge, for every route.
      ...(rateLimit !== undefined || burstLimit !== undefined
        ? {
            throttle: {
              ...(rateLimit !== undefined ? { rateLimit } : {}),
              ...(burstLimit !== undefined ? { burstLimit } : {}),
            },
          }
        : {}),
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // HTTP API context variables only; no headers, which may carry keys.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            // The Lambda invocation's request id: joins this line to the function's log.
            integrationRequestId: '$context.integration.requestId',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const functions = new Map<string, HouseFunction>();
    for (const route of routes) {
      const name = constructId(route.handler);
      if (this.node.tryFindChild(name)) {
        throw new Error(`${route.handler} serves two routes; the route table wants one handler per row`);
      }
      const fn = new HouseFunction(this, name, {
        entry: route.handler,
        description: routeKey(route),
        ...(route.assets ? { assets: route.assets } : {}),
        // Public routes answer anyone: their concurrency is capped so they cannot take the account's.
        ...(route.auth === 'none' && publicConcurrency !== undefined
          ? { reservedConcurrentExecutions: publicConcurrency }
          : {}),
      });
      grantAccess(fn, route.access, props);
      fn.fn.addEnvironment('WEBHOOK_BASE_URL', props.webhookBaseUrl);
      // The OAuth callback URL is built from it; the API's own endpoint, not a route.
      fn.fn.addEnvironment('PUBLIC_API_URL', this.httpApi.apiEndpoint);

      const httpRoute = new HttpRoute(this, `${name}Route`, {
        httpApi: this.httpApi,
        routeKey: routeKeyOf(route),
        integration: new HttpLambdaIntegration(`${name}Integration`, fn.fn),
      });
      Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: authReason[route.auth] });
      functions.set(routeKey(route), fn);
    }
    this.functions = functions;

    // CORS preflights of the end-user routes: an OPTIONS route per end-user path, all to one
    // small public function (functions/routes.ts says why not the API-wide `corsPreflight`).
    this.preflight = new HouseFunction(this, 'CorsPreflight', {
      entry: CORS_PREFLIGHT_HANDLER,
      description: 'OPTIONS: CORS preflights of the end-user routes',
      memorySize: 256,
      ...(publicConcurrency !== undefined ? { reservedConcurrentExecutions: publicConcurrency } : {}),
    });
    const preflightIntegration = new HttpLambdaIntegration('CorsPreflightIntegration', this.preflight.fn);
    for (const { path: routePath } of corsPaths()) {
      const id = `Preflight${routePath.replace(/[{}]/g, '').replace(/[^a-zA-Z0-9]+/g, '_')}`;
      const httpRoute = new HttpRoute(this, id, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(routePath, HttpMethod.OPTIONS),
        integration: preflightIntegration,
      });
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'A CORS preflight carries no credentials (Fetch standard); it is answered from the route table alone.',
      });
    }
  }

  get url(): string {
    return this.stage.url;
  }
}

/** Turns a route's `access` into binder calls: env vars and grants, nothing beyond them. */
const grantAccess = (fn: HouseFunction, access: Access, props: ApiProps): void => {
  for (const name of Object.keys(tables) as TableName[]) {
    const mode = access.tables?.[name];
    if (mode) fn.bindTable(props.tables[name], tables[name], mode);
  }
  for (const name of Object.keys(queues) as QueueName[]) {
    const mode = access.queues?.[name];
    if (mode) fn.bindQueue(props.queues[name], queues[name], mode);
  }
  for (const name of Object.keys(buckets) as BucketName[]) {
    const mode = access.buckets?.[name];
    if (mode) fn.bindBucket(props.buckets[name], buckets[name], mode);
  }
  const dataKey = access.secrets?.dataKey;
  if (dataKey) fn.bindSecret(props.dataKey, secrets.dataKey, dataKey);
  const integrationSecrets = access.secrets?.integrationSecrets;
  if (integrationSecrets) fn.bindIntegrationSecrets(integrationSecretPrefix, integrationSecrets);
  if (access.describeTables) {
    fn.describeTables(
      (Object.keys(tables) as TableName[]).map((n) => ({ table: props.tables[n], def: tables[n] })),
    );
  }
};
