import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IntegrationsStack } from './integrations-stack';

export const STACK_ID = 'Integrations';

/**
 * The CDK app with cdk-nag's AWS Solutions pack registered, shared by bin/app.ts and the
 * tests so both check exactly the same thing. cdk-nag 3 is a validation plugin, not an
 * Aspect: it runs at synth and fails it on an unacknowledged error.
 */
export const createApp = (props: AppProps = {}): { app: App; stack: IntegrationsStack } => {
  const app = new App(props);
  const stack = new IntegrationsStack(app, STACK_ID, {
    description: 'Integrations service: HTTP API, sync and webhook workers, scheduler, state',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};
