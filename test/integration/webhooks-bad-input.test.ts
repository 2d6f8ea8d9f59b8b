import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadAdapter } from '../../adapters';
import { providerNames } from '../../adapters/manifests';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * Whatever arrives at a webhook URL — any provider's integration, any method, headers that
 * look like each provider's signature headers (garbage, truncated, other schemes), any body,
 * query noise — the receiver answers 401, 404, 413 or a handshake/200, never a 5xx, always
 * in the envelope for errors.
 */
let h: Harness;
const SECRET = 'fuzz-webhook-secret-0123456789';
const providers = (await Promise.all(providerNames.map(loadAdapter)))
  .filter((a) => a?.webhooks !== undefined)
  .map((a) => a?.manifest.name as string);

const allowedBefore = process.env.ALLOWED_PROVIDER_HOSTS;
beforeAll(async () => {
  h = await startHarness();
  // An endpoint off the providers' domains: the operator allow-lists it for this deployment.
  process.env.ALLOWED_PROVIDER_HOSTS = 'api.example.com';
  for (const provider of providers) {
    const r = await call(h.gateway.url, '/v1/integrations', {
      key: h.key,
      method: 'POST',
      body: JSON.stringify({
        unique_key: `fz-${provider.replaceAll('_', '-')}`,
        provider,
        webhook_secret: SECRET,
        // Providers whose API host depends on config take it from here.
        endpoints: { api_base_url: 'https://api.example.com' },
      }),
    });
    expect(r.status, `${provider}: ${JSON.stringify(r.body)}`).toBe(201);
  }
});
afterAll(async () => {
  if (allowedBefore === undefined) delete process.env.ALLOWED_PROVIDER_HOSTS;
  else process.env.ALLOWED_PROVIDER_HOSTS = allowedBefore;
  await h.stop();
});

const signatureHeaders = [
  'x-hub-signature-256',
  'x-hub-signature',
  'x-slack-signature',
  'x-slack-request-timestamp',
  'linear-signature',
  'linear-delivery',
  'x-gitlab-token',
  'x-github-event',
  'x-github-delivery',
  'svix-id',
  'svix-timestamp',
  'svix-signature',
  'stripe-signature',
  'authorization',
  'x-atlassian-webhook-identifier',
  'x-notion-signature',
];
const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    'sha256=',
    'sha256=abc',
    'v0=',
    `v0=${'a'.repeat(64)}`,
    'v1,',
    't=1,v1=00',
    'Bearer x.y.z',
    SECRET,
  ),
  fc.integer().map(String),
);

it('never answers 5xx to forged or malformed webhooks, for any provider', async () => {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        provider: fc.constantFrom(...providers),
        method: fc.constantFrom('POST', 'GET', 'PUT'),
        headers: fc.dictionary(fc.constantFrom(...signatureHeaders), headerValue, { maxKeys: 6 }),
        body: fc.oneof(
          fc.string(),
          fc.json(),
          fc.constantFrom(
            '{"type":"url_verification","challenge":"c"}',
            '{"value":[{"clientState":"x"}]}',
            '{"verification_token":"secret_x"}',
            'payload=%7B%7D',
          ),
        ),
        query: fc.option(fc.constantFrom('?validationToken=abc', '?x=1', '?validationToken='), {
          nil: undefined,
        }),
      }),
      async (req) => {
        const path = `/webhooks/${h.tenantId}/fz-${req.provider.replaceAll('_', '-')}${req.query ?? ''}`;
        const r = await call(h.gateway.url, path, {
          method: req.method,
          headers: req.headers,
          ...(req.method === 'GET' ? {} : { body: req.body }),
        });
        answered += 1;
        expect(r.status, `${req.provider} ${JSON.stringify(req)} → ${JSON.stringify(r.body)}`).toBeLessThan(
          500,
        );
        if (r.status >= 400)
          expect((r.body as Json).error.code).toMatch(/^(unauthorized|not_found|payload_too_large)$/);
      },
    ),
    { numRuns: 300 },
  );
  expect(answered).toBe(300);
});

it('a signed body that only grows past SQS’s 1 MiB once escaped for the queue is 413, not a 5xx', {
  timeout: 60_000,
}, async () => {
  const { createHmac } = await import('node:crypto');
  // 200 KB of a control character the queue's JSON escapes as six bytes each (\u0001): far
  // under the receiver's raw limit, over SQS's once queued. (Not valid JSON either: the
  // receiver verifies bytes, it does not parse.)
  const body = `{"action":"edited","note":"${'\u0001'.repeat(200_000)}"}`;
  expect(Buffer.byteLength(body)).toBeLessThan(1024 * 1024 - 4096);
  const res = await fetch(`${h.gateway.url}/webhooks/${h.tenantId}/fz-github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issues',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
    body,
  });
  expect(res.status).toBe(413);
  expect(((await res.json()) as Json).error.code).toBe('payload_too_large');
});
