import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queues } from '../../core/platform/resources';
import { pollQueue } from '../../local/sqs-poller';
import { type JiraFake, startJiraFake } from '../fakes/jira';
import { hs256Jwt } from '../fakes/jira-webhooks';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * The attack on Jira's JWT-only webhooks (an OAuth 2.0 app's dynamic webhooks): the JWT signs
 * the sender, not the body, so whoever captures one delivery can replay its Authorization
 * header with a body of their own for as long as the JWT lives. Through the receiver and the
 * processor on the local stack, such a body must write nothing: it is a hint to sync.
 */

let h: Harness;
let jira: JiraFake;
let connectionId: string;
let hookUrl: string;
/** Where the app's dynamic webhook points: the attacker's vantage point, capturing a delivery. */
let capture: Server;
const captured: { headers: Record<string, string>; body: string }[] = [];
const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
let poller: { stop: () => Promise<void> } | undefined;

const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
  call(h.gateway.url, path, {
    key: h.key,
    ...(init.method ? { method: init.method } : {}),
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

const until = async <T>(what: string, find: () => Promise<T | undefined>): Promise<T> => {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  h = await startHarness();
  jira = await startJiraFake();
  jira.seedIssues(2);
  // The app's client secret is the integration's webhook secret: it signs the JWTs.
  const i = await api('/v1/integrations', {
    method: 'POST',
    body: {
      unique_key: 'jira-app',
      provider: 'jira',
      webhook_secret: jira.oauthClient.clientSecret,
      endpoints: { api_base_url: jira.apiBaseUrl },
    },
  });
  expect(i.status, JSON.stringify(i.body)).toBe(201);
  const c = await api('/v1/connections', {
    method: 'POST',
    body: {
      integration: 'jira-app',
      end_user_id: 'u_jira',
      credentials: jira.valid,
      config: { site: jira.site },
    },
  });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  connectionId = c.body.data.id;
  hookUrl = `${h.gateway.url}/webhooks/${h.tenantId}/jira-app`;
  capture = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      captured.push({
        headers: req.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString(),
      });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
  const captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/hook`;
  // The app registers a dynamic webhook (POST /rest/api/3/webhook) with its OAuth token: its
  // deliveries are seen on the way (here: they go to the capture server, and only there).
  const oauth = jira.oauth.type === 'oauth2' ? jira.oauth.access_token : '';
  const reg = await fetch(`${jira.oauthBaseUrl.replace('{cloud_id}', jira.cloudId)}/rest/api/3/webhook`, {
    method: 'POST',
    headers: { authorization: `Bearer ${oauth}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      url: captureUrl,
      webhooks: [{ events: ['jira:issue_updated'], jqlFilter: 'project = ACME' }],
    }),
  });
  expect(reg.status).toBe(200);
  poller = pollQueue({
    sqs,
    queueUrl: process.env[queues.webhook.env] as string,
    handler: 'functions/workers/webhook-processor.ts',
    batchSize: 10,
    timeoutMs: 60_000,
  });
});
afterAll(async () => {
  await poller?.stop();
  sqs.destroy();
  await jira?.stop();
  await h?.stop();
  await new Promise((r) => capture?.close(r));
});

const webhookRuns = async () => {
  const r = await api(`/v1/sync-runs?connection_id=${connectionId}&limit=100`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body.data.sync_runs as Json[]).filter((x) => x.trigger === 'webhook');
};
const records = async () => {
  const r = await api(`/v1/records?connection_id=${connectionId}&model=work_item&limit=100`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.data.records as Json[];
};

it('a replayed JWT with a forged body changes no record: it only queues an incremental sync', {
  timeout: 45_000,
}, async () => {
  const [issue] = jira.issueIds();
  jira.updateIssue(issue as string, { summary: 'Real change' });
  await jira.webhooksSettled();
  const legit = captured.at(-1);
  expect(legit?.headers.authorization).toMatch(/^Bearer /);
  expect(await webhookRuns()).toEqual([]);

  // The attacker keeps the Authorization header and writes the body.
  const forgedTitle = `Forged ${randomUUID().slice(0, 8)}`;
  const real = JSON.parse(legit?.body as string);
  const forged = JSON.stringify({
    ...real,
    issue: { ...real.issue, fields: { ...real.issue.fields, summary: forgedTitle, labels: ['pwned'] } },
  });
  const replay = await fetch(hookUrl, {
    method: 'POST',
    headers: {
      authorization: legit?.headers.authorization as string,
      'content-type': 'application/json',
      'x-atlassian-webhook-identifier': randomUUID(),
    },
    body: forged,
  });
  // The receiver cannot tell (the JWT is Jira's and fresh): it accepts the delivery…
  expect(replay.status).toBe(200);

  // …and the processor turns it into a sync, never into the forged record.
  const seen = await until('the processor to handle the forged delivery', async () => {
    const forgedRecord = (await records()).find((r) => r.title === forgedTitle);
    if (forgedRecord) return { forgedRecord };
    const runs = await webhookRuns();
    return runs.length > 0 ? { runs } : undefined;
  });
  expect(seen).not.toHaveProperty('forgedRecord');
  expect(seen.runs?.map((r: Json) => [r.sync, r.mode])).toContainEqual(['issues', 'incremental']);
  expect((await records()).some((r) => r.title === forgedTitle || r.labels?.includes('pwned'))).toBe(false);
});

it('refuses a JWT without exp, living too long, or with a qsh for another request', async () => {
  const secret = jira.oauthClient.clientSecret;
  const t = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    webhookEvent: 'jira:issue_updated',
    issue: { self: `https://${jira.site}/x` },
  });
  const send = (claims: Record<string, unknown>) =>
    fetch(hookUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${hs256Jwt(claims, secret)}`, 'content-type': 'application/json' },
      body,
    }).then((r) => r.status);
  expect(await send({ iat: t })).toBe(401);
  expect(await send({ iat: t, exp: t + 24 * 3600 })).toBe(401);
  expect(await send({ iat: t, exp: t + 180, qsh: 'context-qsh' })).toBe(401);
  expect(await send({ iat: t, exp: t + 180, qsh: '0'.repeat(64) })).toBe(401);
  // A Connect-style JWT whose qsh is this request's: POST&<path>&
  const { queryStringHash } = await import('../../adapters/jira/webhooks');
  const qsh = queryStringHash('POST', new URL(hookUrl).pathname, {});
  expect(await send({ iat: t, exp: t + 180, qsh })).toBe(200);
});
