import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../adapters';
import { WebhookRefused } from '../../../adapters/webhook-signatures';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { randomToken } from '../../fakes/server';
import { runSync } from './sync-helpers';
import { verify } from './verify-helpers';
import { eventsAsTheyCome, startVerifyingReceiver, webhooksOf } from './webhook-helpers';

const hooks = await webhooksOf('azure_devops');

describe('azure_devops webhooks', () => {
  const secret = randomToken(40);
  let az: AzureDevOpsFake;
  let receiver: Awaited<ReturnType<typeof startVerifyingReceiver>>;
  let prs: number[];
  let builds: number[];
  let metadata: Record<string, string>;
  const config = { organization: 'acme' };
  const events = eventsAsTheyCome(hooks, secret);
  const next = () => events(az, receiver.received);

  beforeAll(async () => {
    az = await startAzureDevOpsFake();
    az.addProject('Fabrikam');
    az.addRepo('Fabrikam', 'api');
    prs = az.seedPullRequests('Fabrikam', 'api', 2);
    builds = az.seedBuilds('Fabrikam', 'api', 1, { status: 'inProgress' });
    metadata =
      (await verify('azure_devops', { credentials: az.valid, baseUrl: az.apiBaseUrl, config })).metadata ??
      {};
    receiver = await startVerifyingReceiver(hooks, secret);
    // A subscription configured with an extra HTTP header rather than basic authentication.
    az.registerWebhook(receiver.url, { headers: { 'X-Webhook-Secret': secret } });
  });
  afterAll(async () => {
    await az.stop();
    await receiver.stop();
  });

  it('verifies the secret header; a missing or wrong one is refused', async () => {
    az.updatePullRequest(prs[0] as number, { title: 'Faster refunds' });
    const [e] = await next();
    expect(e?.eventType).toBe('git.pullrequest.updated');
    const good = receiver.received.at(-1) as WebhookRequest;
    const { 'x-webhook-secret': _, ...bare } = good.headers;
    expect(() => hooks.verify({ ...good, headers: bare }, secret, Date.now())).toThrow(WebhookRefused);
    expect(() =>
      hooks.verify(
        { ...good, headers: { ...bare, 'x-webhook-secret': secret.slice(1) } },
        secret,
        Date.now(),
      ),
    ).toThrow(WebhookRefused);
  });

  it('applies pull request events with the sync’s mapping (merged → done)', async () => {
    az.updatePullRequest(prs[1] as number, { status: 'completed' });
    const [e] = await next();
    expect(e?.eventType).toBe('git.pullrequest.merged');
    const effect = hooks.apply(e?.payload, 'git.pullrequest.merged', { config, metadata });
    const synced = await runSync('azure_devops', 'pull_requests', {
      credentials: az.valid,
      baseUrl: az.apiBaseUrl,
      config,
    });
    const record = synced.records.find((r) => r.data.number === prs[1]);
    expect(record?.data).toMatchObject({ status: 'done' });
    expect(effect).toEqual({ kind: 'records', sync: 'pull_requests', records: [record], deletedIds: [] });
  });

  it('applies build.complete as a pipeline run; narrowed projects and unknown events change nothing', async () => {
    az.completeBuild(builds[0] as number, 'succeeded');
    const [e] = await next();
    const effect = hooks.apply(e?.payload, 'build.complete', { config, metadata });
    expect(effect).toMatchObject({
      kind: 'records',
      sync: 'pipeline_runs',
      records: [{ id: `azdo_build_${builds[0]}`, data: { status: 'succeeded', pipeline: 'api-ci' } }],
    });
    expect(
      hooks.apply(e?.payload, 'build.complete', { config: { ...config, projects: ['Web'] }, metadata }),
    ).toBeUndefined();
    expect(hooks.apply(e?.payload, 'git.push', { config, metadata })).toBeUndefined();
  });
});
