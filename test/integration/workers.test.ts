import { PurgeQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamo } from '../../core/platform/aws';
import { tableName } from '../../core/platform/config';
import { newId } from '../../core/platform/ids';
import { SCHEDULE_SHARDS } from '../../core/store/schedule-repo';
import { logger } from '../../functions/middleware/logger';
import { handler as syncWorker } from '../../functions/workers/sync-worker';
import { handler as webhookProcessor } from '../../functions/workers/webhook-processor';
import { handler as receiver } from '../../functions/workers/webhook-receiver';
import { type Gateway, startGateway } from '../../local/gateway';
import { lambdaContext } from '../../local/lambda-context';
import { pollQueue } from '../../local/sqs-poller';
import { dropShardQueue, tickThroughShards } from '../scheduler-tick';
import { sqsRecord } from '../sqs-record';
import { type Json, newTenant } from './harness';

const record = (body: string, id = newId('req')) => sqsRecord(body, { id, queue: 'integrations-SyncQueue' });
const ctx: Context = lambdaContext('test');

describe('scheduler', () => {
  afterAll(dropShardQueue);

  it('fans out to every shard, finds nothing due on an empty schedule', async () => {
    const info = vi.spyOn(logger, 'info');
    // Long before any sync of this run was scheduled: nothing is due.
    const r = await tickThroughShards(new Date('2001-01-01T00:00:00Z'));
    expect(r).toMatchObject({
      shards: SCHEDULE_SHARDS,
      failed: 0,
      due: 0,
      queued: 0,
      retried: 0,
      stalled: 0,
    });
    // The shared sync DLQ may hold other files' dead letters: counted, not asserted.
    expect(r.dead_lettered).toEqual(expect.any(Number));
    expect(info).toHaveBeenCalledWith('scheduler tick', expect.objectContaining({ at: expect.any(String) }));
    info.mockRestore();
  });

  it('finds a sync whose next run is due, and not one in the future', async () => {
    const { tenantId } = await newTenant('sched');
    const base = { tenant_id: tenantId, connection_id: newId('conn'), schedule_shard: 'SHARD#3' };
    await dynamo().send(
      new PutCommand({
        TableName: tableName('state'),
        Item: {
          pk: `TENANT#${tenantId}`,
          sk: 'SYNC#a#issues',
          ...base,
          sync: 'issues',
          frequency: '1h',
          next_run_at: '2000-01-01T00:00:00Z',
        },
      }),
    );
    await dynamo().send(
      new PutCommand({
        TableName: tableName('state'),
        Item: {
          pk: `TENANT#${tenantId}`,
          sk: 'SYNC#a#repos',
          ...base,
          sync: 'repos',
          frequency: '1h',
          next_run_at: '2999-01-01T00:00:00Z',
        },
      }),
    );
    // Between the empty schedule's tick (2001) and the other files' syncs (due now).
    const r = await tickThroughShards(new Date('2000-06-01T00:00:00Z'));
    // Due, and not queued: it has no connection.
    expect(r).toMatchObject({ due: 1, queued: 0, skipped: 1 });
  });
});

describe('sync worker', () => {
  it('reports malformed messages individually and acknowledges the rest', async () => {
    const { tenantId } = await newTenant('worker');
    const good = record(
      JSON.stringify({
        tenant_id: tenantId,
        connection_id: newId('conn'),
        sync: 'issues',
        run_id: newId('run'),
      }),
    );
    const notJson = record('{nope');
    const wrongShape = record(JSON.stringify({ tenant_id: tenantId }));
    const event: SQSEvent = { Records: [good, notJson, wrongShape] };
    const r = await syncWorker(event, ctx);
    expect(r.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [notJson.messageId, wrongShape.messageId].sort(),
    );
  });

  it('acknowledges a message whose run does not exist (deleted or never queued)', async () => {
    const { tenantId } = await newTenant('worker2');
    const connectionId = newId('conn');
    await dynamo().send(
      new PutCommand({
        TableName: tableName('state'),
        Item: {
          pk: `TENANT#${tenantId}`,
          sk: `CONN#${connectionId}`,
          tenant_id: tenantId,
          connection_id: connectionId,
        },
      }),
    );
    const msg = record(
      JSON.stringify({ tenant_id: tenantId, connection_id: connectionId, sync: 'issues', run_id: 'run_1' }),
    );
    const r = await syncWorker({ Records: [msg] }, ctx);
    expect(r.batchItemFailures).toEqual([]);
  });
});

describe('webhook processor', () => {
  it('drops events of a deleted integration and reports malformed ones', async () => {
    const { tenantId } = await newTenant('wp');
    const gone = record(
      JSON.stringify({
        tenant_id: tenantId,
        integration_key: 'github-prod',
        integration_id: 'int_gone',
        delivery_id: 'd1',
        event_type: 'issues',
        received_at: new Date().toISOString(),
        body: '{}',
      }),
    );
    const bad = record('[]');
    const r = await webhookProcessor({ Records: [gone, bad] }, ctx);
    expect(r.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
  });
});

describe('local SQS event source', () => {
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const queueUrl = () => process.env.SYNC_QUEUE_URL as string;
  beforeAll(() => sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl() })));
  // Other files of the run may queue sync runs meanwhile: wait for ours by run id.
  afterAll(() => sqs.destroy());

  it('invokes the worker with real batches and deletes what succeeded', async () => {
    const { tenantId } = await newTenant('poller');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(),
        MessageBody: JSON.stringify({
          tenant_id: tenantId,
          connection_id: newId('conn'),
          sync: 'issues',
          run_id: 'run_poller',
        }),
      }),
    );
    const handled = vi.spyOn(logger, 'info');
    const poller = pollQueue({
      sqs,
      queueUrl: queueUrl(),
      handler: 'functions/workers/sync-worker.ts',
      batchSize: 10,
      timeoutMs: 5000,
    });
    await vi.waitFor(
      () =>
        expect(handled).toHaveBeenCalledWith(
          'sync message handled',
          expect.objectContaining({ run_id: 'run_poller', kind: 'done', status: 'dropped' }),
        ),
      { timeout: 10_000 },
    );
    await poller.stop();
    handled.mockRestore();
    // Deleted, not merely hidden: the queue's visibility timeout would hide it for 30 min.
    const left = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(),
        WaitTimeSeconds: 0,
        VisibilityTimeout: 0,
        MaxNumberOfMessages: 10,
      }),
    );
    expect((left.Messages ?? []).filter((m) => m.Body?.includes('run_poller'))).toHaveLength(0);
  });
});

describe('webhook receiver (function URL)', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await startGateway(0);
  });
  afterAll(() => gateway.stop());

  it.each([
    '/webhooks/ten_01abcdefghjkmnpqrstvwxyz0/github-prod',
    '/webhooks/not-a-tenant/github-prod',
    '/webhooks/',
    '/webhooks/ten_01abcdefghjkmnpqrstvwxyz0/UPPER/extra',
  ])('answers 404 for an unknown integration at %s', async (path) => {
    const res = await fetch(`${gateway.url}${path}`, { method: 'POST', body: '{"action":"opened"}' });
    expect(res.status).toBe(404);
    const body: Json = await res.json();
    expect(body.error.code).toBe('not_found');
    expect(res.headers.get('x-request-id')).toBe(body.error.request_id);
  });

  it('refuses (401) an event for a known integration it cannot verify', async () => {
    const { tenantId } = await newTenant('wr');
    await dynamo().send(
      new PutCommand({
        TableName: tableName('state'),
        Item: {
          pk: `TENANT#${tenantId}`,
          sk: 'INTEGRATION#github-prod',
          tenant_id: tenantId,
          provider: 'github',
        },
      }),
    );
    const event = {
      rawPath: `/webhooks/${tenantId}/github-prod`,
      routeKey: '$default',
      headers: {},
      requestContext: { http: { method: 'POST' } },
    };
    const r = await receiver(event as never, ctx);
    expect(r.statusCode).toBe(401);
    expect(JSON.parse(r.body as string).error.code).toBe('unauthorized');
  });
});
