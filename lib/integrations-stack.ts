import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type TableName, tables } from '../core/platform/resources';
import { routeKey, routes } from '../functions/routes';
import { schedulerWorker, workers } from '../functions/workers';
import { applyAllowedProviderHosts } from './allowed-provider-hosts';
import { Api } from './api';
import { Buckets } from './buckets';
import { Data } from './data';
import { Observability } from './observability';
import { Queues } from './queues';
import { Secrets } from './secrets';
import { Workers } from './workers';

/**
 * The whole service in one stack. Environment-agnostic on purpose: no lookups, so
 * `cdk synth` works offline and without credentials.
 */
export class IntegrationsStack extends Stack {
  readonly data: Data;
  readonly queues: Queues;
  readonly buckets: Buckets;
  readonly secrets: Secrets;
  readonly workers: Workers;
  readonly api: Api;
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');
    this.queues = new Queues(this, 'Queues');
    this.secrets = new Secrets(this, 'Secrets');
    // CSV uploads; each object created notifies the import queue.
    this.buckets = new Buckets(this, 'Buckets', { queues: this.queues.queues });
    const shared = { tables: this.data.tables, queues: this.queues.queues, buckets: this.buckets.buckets };

    // Sync and webhook workers, the scheduler, the outbound worker: functions/workers.ts.
    this.workers = new Workers(this, 'Workers', {
      ...shared,
      deadLetterQueues: this.queues.deadLetterQueues,
      dataKey: this.secrets.dataKey,
    });
    this.api = new Api(this, 'Api', {
      ...shared,
      dataKey: this.secrets.dataKey,
      webhookBaseUrl: this.workers.webhookBaseUrl,
    });

    // Token refreshes during syncs build the OAuth redirect URI from the API's address.
    this.workers.setPublicApiUrl(this.api.httpApi.apiEndpoint);
    // Endpoint overrides beyond the providers' own domains, as the operator allows them.
    applyAllowedProviderHosts(this);

    // Alarms, metric filters and the dashboard over all of the above (lib/observability.ts).
    this.observability = new Observability(this, 'Observability', {
      httpApi: this.api.httpApi,
      queues: this.queues.queues,
      deadLetterQueues: this.queues.deadLetterQueues,
      apiFunctions: [...this.api.functions.values(), this.api.preflight],
      workers: this.workers.functions,
      schedulerEntry: schedulerWorker.entry,
      // Token refreshes need the OAuth client secret; tools run on the two tool routes.
      tokenFunctions: [
        ...routes
          .filter((r) => r.access.secrets?.integrationSecrets)
          .map((r) => this.api.functions.get(routeKey(r))),
        ...workers
          .filter((w) => w.access.secrets?.integrationSecrets)
          .map((w) => this.workers.functions.get(w.entry)),
      ].filter((f) => f !== undefined),
      toolFunctions: routes
        .filter((r) => /execute-tool|mcp/.test(r.handler))
        .map((r) => this.api.functions.get(routeKey(r)))
        .filter((f) => f !== undefined),
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.observability.alarmTopic.topicArn,
      description: 'Every alarm notifies this SNS topic: subscribe your on-call email, chat or pager to it',
    });
    new CfnOutput(this, 'DashboardName', {
      value: this.observability.dashboard.dashboardName,
      description: 'The CloudWatch dashboard of the service',
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'WebhookBaseUrl', {
      value: this.workers.webhookBaseUrl,
      description: 'Provider webhooks arrive at <this>/{tenant_id}/{integration_key}',
    });
    new CfnOutput(this, 'DataKeySecretArn', {
      value: this.secrets.dataKey.secretArn,
      description: 'export DATA_KEY_SECRET_ID=<this> for npm run admin -- --aws',
    });
    // What `npm run admin -- --aws` needs in its environment, named as the variables.
    for (const name of Object.keys(tables) as TableName[]) {
      new CfnOutput(this, tables[name].env.replace(/_/g, ''), {
        value: this.data.tables[name].tableName,
        description: `export ${tables[name].env}=<this> for npm run admin -- --aws`,
      });
    }
  }
}
