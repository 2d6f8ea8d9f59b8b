import { randomUUID } from 'node:crypto';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { lambdaContext } from './lambda-context';
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

/** Fires the scheduler like the EventBridge rule: at each minute boundary. */
export const startSchedulerTimer = (handlerPath: string): { stop: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const fire = async () => {
    try {
      const handler = await loadHandler<Scheduler>(handlerPath);
      await handler(scheduledEvent(), lambdaContext('scheduler'));
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
      60_000 - (Date.now() % 60_000),
    );
  };
  next();
  return { stop: () => clearTimeout(timer) };
};
