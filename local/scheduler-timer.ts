import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { functionNameOf, lambdaContext } from './lambda-context';
import { loadHandler } from './load-handler';

type Scheduler = (event: ScheduledEvent, context: Context) => Promise<unknown>;

export const scheduledEvent = (time = new Date()): ScheduledEvent => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '000000000000',
  time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:000000000000:rule/integrations-scheduler'],
  detail: {},
});

/** Fires the scheduler like its EventBridge rule: at each `everyMinutes` boundary. */
export const startSchedulerTimer = (handlerPath: string, everyMinutes = 1): { stop: () => void } => {
  const period = everyMinutes * 60_000;
  let timer: NodeJS.Timeout | undefined;
  const fire = async () => {
    try {
      const handler = await loadHandler<Scheduler>(handlerPath);
      await handler(scheduledEvent(), lambdaContext(functionNameOf(handlerPath)));
    } catch (e) {
      console.error('[scheduler] failed', e);
    }
  };
  const next = () => {
    timer = setTimeout(
      () => {
        void fire();
        next();
      },
      period - (Date.now() % period),
    );
  };
  next();
  return { stop: () => clearTimeout(timer) };
};
