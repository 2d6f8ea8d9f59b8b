import { Duration, NestedStack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRICS_NAMESPACE, type QueueName } from '../core/platform/resources';
import type { HouseFunction } from './house-function';

export type ObservabilityProps = {
  httpApi: HttpApi;
  queues: Record<QueueName, Queue>;
  deadLetterQueues: Record<QueueName, Queue>;
  /** The API's functions (one per route, and the preflight function). */
  apiFunctions: readonly HouseFunction[];
  /** Each worker by its entry (functions/workers.ts). */
  workers: ReadonlyMap<string, HouseFunction>;
  /** The scheduler's entry: an alarm fires when it stops running. */
  schedulerEntry: string;
  /** Functions that may refresh provider tokens: their `token refresh` lines are counted. */
  tokenFunctions: readonly HouseFunction[];
  /** Functions that run tools: their `tool call` lines are counted. */
  toolFunctions: readonly HouseFunction[];
};

// Alarm periods. One minute where a page must be quick, five where noise would dominate.
const MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);
/** CloudWatch alarms on metric math take at most 10 metrics: function groups alarm in chunks. */
const METRICS_PER_ALARM = 10;
/** The oldest message a queue may hold before someone should look: minutes, by queue. */
const OLDEST_MESSAGE_MINUTES: Record<QueueName, number> = {
  sync: 30,
  webhook: 5,
  outbound: 30,
  import: 60,
  // A tick message is handled within seconds; one three minutes old means schedules slip.
  schedulerShard: 3,
};
/** API 5xx answers, as a share of all answers over five minutes. */
const API_5XX_PERCENT = 1;

// The workers' EMF metrics (core/platform/metrics.ts) and the counts metric filters derive
// from log lines (below): the names the dashboard and an operator's queries use.
const emf = (name: string, statistic: string, dims: Record<string, string> = {}) =>
  new cw.Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    statistic,
    period: FIVE_MINUTES,
    dimensionsMap: { service: 'integrations', ...dims },
  });

/**
 * What an operator watches: an SNS topic every alarm notifies (subscribe to it: its ARN is
 * the stack output AlarmTopicArn), alarms for everything that fails silently otherwise —
 * each dead-letter queue, each queue's oldest message, the API's 5xx rate, errors and
 * throttles of every function group, the scheduler stopping — metric filters that turn
 * the HTTP handlers' log lines into counts (token refreshes, tool calls) without a metrics
 * library in their bundles, and a dashboard of it all.
 */
/*
 * A nested stack of its own: CloudFormation takes at most 500 resources a stack, and the
 * service's functions (a role, policy, log group, permission, integration and route each)
 * use most of the main stack's.
 */
export class Observability extends NestedStack {
  readonly alarmTopic: sns.Topic;
  readonly alarms: cw.Alarm[] = [];
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id, { description: 'Alarms, metric filters and the dashboard of the integrations service' });
    // Encrypted with a key of our own: CloudWatch cannot publish to a topic under the
    // AWS-managed SNS key (its policy can't be changed to let CloudWatch use it).
    const key = new kms.Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic',
      enableKeyRotation: true,
    });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Integrations service alarms',
      enforceSSL: true,
      masterKey: key,
    });
    const action = new SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, props: cw.AlarmProps) => {
      const a = new cw.Alarm(this, alarmId, props);
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    // Dead letters: a message there is work that failed every retry. One is one too many.
    for (const [name, dlq] of Object.entries(props.deadLetterQueues) as [QueueName, Queue][]) {
      alarm(`${cap(name)}DeadLetters`, {
        alarmDescription: `Messages in the ${name} dead-letter queue: work that failed every retry. Inspect, fix, redrive.`,
        metric: dlq.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum' }),
        threshold: 0,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }
    // Backlog: the oldest message's age grows when consumers fall behind or are throttled.
    for (const [name, queue] of Object.entries(props.queues) as [QueueName, Queue][]) {
      alarm(`${cap(name)}QueueBacklog`, {
        alarmDescription: `The ${name} queue's oldest message is older than ${OLDEST_MESSAGE_MINUTES[name]} minutes: its worker is behind, failing or throttled.`,
        metric: queue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum' }),
        threshold: OLDEST_MESSAGE_MINUTES[name] * 60,
        comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 5,
        treatMissingData: cw.TreatMissingData.NOT_BREACHING,
      });
    }

    // The API's 5xx rate: our failures as the clients see them (4xx are theirs).
    const apiMetric = (metricName: string) =>
      new cw.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: { ApiId: props.httpApi.apiId },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    const api5xxRate = new cw.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: apiMetric('5xx'), requests: apiMetric('Count') },
      label: 'API 5xx %',
      period: FIVE_MINUTES,
    });
    alarm('Api5xxRate', {
      alarmDescription: `More than ${API_5XX_PERCENT}% of API answers were 5xx over five minutes.`,
      metric: api5xxRate,
      threshold: API_5XX_PERCENT,
      comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cw.TreatMissingData.NOT_BREACHING,
    });

    // Errors and throttles per function group: each worker alone (each is its own pipeline),
    // the API's functions summed in chunks of ten (a metric-math alarm's limit).
    const groups: { name: string; fns: readonly HouseFunction[] }[] = [
      ...[...props.workers].map(([entry, fn]) => ({ name: workerName(entry), fns: [fn] })),
      ...chunks(props.apiFunctions, METRICS_PER_ALARM).map((fns, i, all) => ({
        name: all.length > 1 ? `ApiFunctions${i + 1}` : 'ApiFunctions',
        fns,
      })),
    ];
    for (const g of groups) {
      for (const kind of ['Errors', 'Throttles'] as const) {
        const metrics = Object.fromEntries(
          g.fns.map((f, i) => [
            `m${i}`,
            (kind === 'Errors' ? f.fn.metricErrors : f.fn.metricThrottles).call(f.fn, {
              period: FIVE_MINUTES,
              statistic: 'Sum',
            }),
          ]),
        );
        alarm(`${g.name}${kind}`, {
          alarmDescription: `${kind} of ${g.fns.length === 1 ? 'the function' : `${g.fns.length} functions`} ${g.name}${kind === 'Throttles' ? ': at its reserved concurrency or the account’s limit' : ''}.`,
          metric: new cw.MathExpression({
            expression: Object.keys(metrics).join(' + '),
            usingMetrics: metrics,
            label: `${g.name} ${kind.toLowerCase()}`,
            period: FIVE_MINUTES,
          }),
          threshold: 0,
          comparisonOperator: cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cw.TreatMissingData.NOT_BREACHING,
        });
      }
    }

    // The scheduler runs every minute: no invocation for five means no scheduled sync starts.
    const scheduler = props.workers.get(props.schedulerEntry);
    if (!scheduler) throw new Error(`${props.schedulerEntry} is not a worker`);
    alarm('SchedulerNotRunning', {
      alarmDescription: 'The scheduler has not run for five minutes: no scheduled sync is starting.',
      metric: scheduler.fn.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: cw.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No data is exactly the failure this alarm is for.
      treatMissingData: cw.TreatMissingData.BREACHING,
    });

    // Counts from log lines the HTTP handlers (and workers) already write: no library in
    // their bundles. Each line names provider and outcome (core/connections/tokens.ts,
    // core/tools/tools.ts); the filter turns it into a metric with those dimensions.
    const filters = [
      ['TokenRefreshes', 'token refresh', props.tokenFunctions],
      ['ToolCalls', 'tool call', props.toolFunctions],
    ] as const;
    for (const [metricName, message, fns] of filters) {
      for (const f of fns) {
        new logs.MetricFilter(this, `${metricName}${f.node.addr}`, {
          logGroup: f.logGroup,
          filterPattern: logs.FilterPattern.stringValue('$.message', '=', message),
          metricNamespace: METRICS_NAMESPACE,
          metricName,
          metricValue: '1',
          dimensions: { provider: '$.provider', outcome: '$.outcome' },
        });
      }
    }

    const byOutcome = (name: string, outcomes: string[], dims: Record<string, string> = {}) =>
      outcomes.map((o) => emf(name, 'Sum', { ...dims, outcome: o }).with({ label: o }));
    const filtered = (name: string) =>
      new cw.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},outcome,provider} MetricName="${name}"', 'Sum', 300)`,
        label: name,
        period: FIVE_MINUTES,
      });
    const searchEmf = (name: string, statistic = 'Sum') =>
      new cw.MathExpression({
        expression: `SEARCH('{${METRICS_NAMESPACE},service,outcome,provider} MetricName="${name}"', '${statistic}', 300)`,
        label: name,
        period: FIVE_MINUTES,
      });

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cw.GraphWidget({
            title: 'Sync runs by provider and outcome',
            left: [searchEmf('SyncRuns')],
            width: 12,
          }),
          new cw.GraphWidget({
            title: 'Records written, run duration (p50, p99)',
            left: [
              new cw.MathExpression({
                expression: `SEARCH('{${METRICS_NAMESPACE},service,provider} MetricName="RecordsWritten"', 'Sum', 300)`,
                label: 'records',
                period: FIVE_MINUTES,
              }),
            ],
            right: [
              new cw.MathExpression({
                expression: `SEARCH('{${METRICS_NAMESPACE},service,provider} MetricName="RunDuration"', 'p99', 300)`,
                label: 'p99 ms',
                period: FIVE_MINUTES,
              }),
            ],
            width: 12,
          }),
        ],
        [
          new cw.GraphWidget({
            title: 'Provider webhook events by outcome',
            left: [searchEmf('WebhookEvents')],
            width: 12,
          }),
          new cw.GraphWidget({
            title: 'Outbound deliveries by outcome',
            left: byOutcome('OutboundDeliveries', ['delivered', 'retrying', 'waiting', 'dead', 'dropped']),
            width: 12,
          }),
        ],
        [
          new cw.GraphWidget({ title: 'Token refreshes', left: [filtered('TokenRefreshes')], width: 12 }),
          new cw.GraphWidget({ title: 'Tool calls', left: [filtered('ToolCalls')], width: 12 }),
        ],
        [
          new cw.GraphWidget({
            title: 'API requests and 5xx %',
            left: [apiMetric('Count').with({ label: 'requests' })],
            right: [api5xxRate],
            width: 12,
          }),
          new cw.GraphWidget({
            title: 'Queue backlog (oldest message, s)',
            left: (Object.entries(props.queues) as [QueueName, Queue][]).map(([n, q]) =>
              q.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: 'Maximum', label: n }),
            ),
            width: 12,
          }),
        ],
        [
          new cw.GraphWidget({
            title: 'Dead letters',
            left: (Object.entries(props.deadLetterQueues) as [QueueName, Queue][]).map(([n, q]) =>
              q.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: 'Maximum', label: n }),
            ),
            width: 12,
          }),
          new cw.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
        ],
      ],
    });
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
// `functions/workers/sync-worker.ts` → `SyncWorker`.
const workerName = (entry: string) =>
  (entry.split('/').pop() ?? entry).replace(/\.ts$/, '').split('-').map(cap).join('');
const chunks = <T>(xs: readonly T[], n: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
};
