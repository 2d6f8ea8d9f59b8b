import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { type TableName, tables } from '../core/platform/resources';
import { applyAllowedProviderHosts } from './allowed-provider-hosts';
import { Api } from './api';
import { Data } from './data';
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
  readonly secrets: Secrets;
  readonly workers: Workers;
  readonly api: Api;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);

    this.data = new Data(this, 'Data');
    this.queues = new Queues(this, 'Queues');
    this.secrets = new Secrets(this, 'Secrets');
    const shared = { tables: this.data.tables, queues: this.queues.queues };

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
