import { SQSClient } from '@aws-sdk/client-sqs';
import { type QueueName, queues } from '../core/platform/resources';
import { type QueueWorker, queueWorkers, schedulerWorker } from '../functions/workers';
import { type Counterparts, startCounterparts } from './counterparts';
import { type Gateway, startGateway } from './gateway';
import { provision } from './provision';
import { startSchedulerTimer } from './scheduler-timer';
import { pollQueue } from './sqs-poller';

/**
 * The SQS event source of one row of the worker table, locally: its queue (URL from the
 * environment), batch size and timeout.
 */
export const pollWorker = (sqs: SQSClient, w: QueueWorker): { stop: () => Promise<void> } =>
  pollQueue({
    sqs,
    queueUrl: process.env[queues[w.trigger.queue].env] as string,
    handler: w.entry,
    batchSize: w.trigger.batchSize,
    timeoutMs: w.timeoutSeconds * 1000,
  });

export type LocalRuntime = {
  url: string;
  env: Record<string, string>;
  dynamoPid: number | undefined;
  stop: () => Promise<void>;
};

/**
 * The whole service on one machine: counterparts, resources, the gateway + function
 * URL, the queue pollers and the scheduler timer. Handlers run in this process with
 * the environment a deployed Lambda would have.
 */
export const startLocalRuntime = async (options: {
  port: number;
  dataDir?: string;
  scheduler?: boolean;
  /** Queues whose workers run in this process (default: all); the webhook bench runs them apart. */
  workers?: readonly QueueName[];
  /** Use this SQS endpoint instead of starting fauxqs in this process. */
  sqsEndpoint?: string;
  /**
   * Runs once the counterparts and resources exist, before the port opens: what must be
   * true when /health/ready first answers 200 (npm start's development tenant and key).
   */
  beforeListen?: () => Promise<void>;
}): Promise<LocalRuntime> => {
  // Fake providers and local apps live on http://127.0.0.1 (see core/platform/urls.ts).
  process.env.ALLOW_HTTP_LOOPBACK ??= 'true';
  let counterparts: Counterparts | undefined;
  let gateway: Gateway | undefined;
  try {
    counterparts = await startCounterparts({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.sqsEndpoint ? { sqsEndpoint: options.sqsEndpoint } : {}),
    });
    const resources = await provision(counterparts.env);
    Object.assign(process.env, counterparts.env, resources);
    await options.beforeListen?.();
    gateway = await startGateway(options.port);
    process.env.WEBHOOK_BASE_URL = `${gateway.url}/webhooks`;
    process.env.PUBLIC_API_URL = gateway.url;
  } catch (e) {
    await gateway?.stop();
    await counterparts?.stop();
    throw e;
  }
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const pollers = queueWorkers
    .filter((w) => options.workers?.includes(w.trigger.queue) ?? true)
    .map((w) => pollWorker(sqs, w));
  const timer =
    options.scheduler === false
      ? undefined
      : startSchedulerTimer(schedulerWorker.entry, schedulerWorker.trigger.everyMinutes);
  const env = {
    ...counterparts.env,
    WEBHOOK_BASE_URL: process.env.WEBHOOK_BASE_URL as string,
    PUBLIC_API_URL: gateway.url,
  };
  const [g, c] = [gateway, counterparts];
  return {
    url: g.url,
    env,
    dynamoPid: c.dynamoPid,
    stop: async () => {
      timer?.stop();
      await Promise.all(pollers.map((p) => p.stop()));
      sqs.destroy();
      await g.stop();
      await c.stop();
    },
  };
};
