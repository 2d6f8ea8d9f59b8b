import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, type Harness, type Json, startHarness } from './harness';

/**
 * The catalog as the product specs name it: nineteen providers (and the `csv` file-import
 * entry), each with its syncs' model schemas and its tools' input schemas — what an app or an
 * agent reads before connecting anything.
 */
const PROVIDERS = [
  'github',
  'gitlab',
  'bitbucket',
  'azure_devops',
  'jira',
  'linear',
  'clickup',
  'azure_boards',
  'slack',
  'microsoft_teams',
  'google_calendar',
  'outlook',
  'gmail',
  'notion',
  'figma',
  'datadog',
  'sonarcloud',
  'resend',
  'stripe',
];
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it('GET /v1/providers lists the nineteen providers and the csv entry', { timeout: 60_000 }, async () => {
  const r = await call(h.gateway.url, '/v1/providers?limit=100', { key: h.key });
  expect(r.status).toBe(200);
  const names = (r.body.data.providers as Json[]).map((p) => p.name).sort();
  expect(names).toEqual([...PROVIDERS, 'csv'].sort());
});

it.each(PROVIDERS)('%s: every sync has its model schema, every tool its input schema', async (name) => {
  const r = await call(h.gateway.url, `/v1/providers/${name}`, { key: h.key });
  expect(r.status).toBe(200);
  const d = r.body.data;
  expect(d.syncs.length + d.actions.length).toBeGreaterThan(0);
  for (const s of d.syncs as Json[]) {
    expect(s.model_schema, `${name}.${s.name}`).toMatchObject({ type: 'object' });
    expect(Object.keys(s.model_schema.properties).length, `${name}.${s.name}`).toBeGreaterThan(2);
  }
  for (const a of d.actions as Json[]) {
    expect(a.input_schema, `${name}.${a.name}`).toMatchObject({ type: 'object' });
  }
});
