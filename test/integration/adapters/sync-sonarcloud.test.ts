import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credentials } from '../../../adapters';
import { randomHex } from '../../fakes/server';
import { type SonarCloudFake, startSonarCloudFake } from '../../fakes/sonarcloud';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

const run = (sc: SonarCloudFake, sync: string, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('sonarcloud', sync, { credentials: sc.valid, baseUrl: sc.apiBaseUrl, ...call }, o);
const keysIn = (sc: SonarCloudFake, ...orgs: string[]) =>
  [...sc.projects.values()].filter((p) => orgs.includes(p.organization)).map((p) => p.key);
const acme = { config: { organization: 'acme' } };

describe('sonarcloud projects', () => {
  let sc: SonarCloudFake;
  beforeAll(async () => {
    sc = await startSonarCloudFake();
    sc.seedProjects('acme', 230);
    sc.seedProjects('acme-oss', 40);
    sc.seedProjects('globex', 10);
  });
  afterAll(() => sc.stop());

  it("reads every project of the connection's organization once, 100 a page, by name", async () => {
    const before = sc.requests.length;
    const r = await run(sc, 'projects', acme);
    expectValid(r.records, 'project');
    expect(idsOf(r.records)).toEqual(
      keysIn(sc, 'acme')
        .map((k) => `sonar_project_${k}`)
        .sort(),
    );
    expect(r.pages).toBe(3);
    const calls = sc.requests.slice(before);
    expect(calls.map((c) => c.path)).toEqual(Array(3).fill('/api/components/search_projects'));
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${secretsOf(sc.valid)[0]}`);
  });

  it('without an organization, walks every organization the user is a member of', async () => {
    const r = await run(sc, 'projects');
    expectValid(r.records, 'project');
    expect(idsOf(r.records)).toEqual(
      keysIn(sc, 'acme', 'acme-oss')
        .map((k) => `sonar_project_${k}`)
        .sort(),
    );
    expect(r.checkpoints.at(-1)).toEqual({ orgs: ['acme', 'acme-oss'], org: 1, page: 1 });
  });

  it('maps a project, its last analysis as its last change', async () => {
    const [analysed = '', never = ''] = [
      ...sc.seedProjects('acme', 1, { name: 'Payments API', analysisDate: '2024-05-01T12:30:00+0200' }),
      ...sc.seedProjects('acme', 1, { name: 'New thing', analysisDate: null }),
    ];
    const byId = new Map((await run(sc, 'projects', acme)).records.map((r) => [r.id, r.data]));
    expect(byId.get(`sonar_project_${analysed}`)).toEqual({
      name: 'Payments API',
      kind: 'project',
      key: analysed,
      description: null,
      status: 'active',
      raw_status: null,
      url: `${sc.url}/project/overview?id=${analysed}`,
      parent: 'acme',
      starts_at: null,
      ends_at: null,
      created_at: null,
      updated_at: '2024-05-01T10:30:00.000Z',
    });
    expect(byId.get(`sonar_project_${never}`)).toMatchObject({ name: 'New thing', updated_at: null });
  });

  it('resumes from a stored checkpoint without repeating or skipping', async () => {
    const first = await run(sc, 'projects', {}, { maxPages: 2 });
    const rest = await run(sc, 'projects', { checkpoint: first.checkpoints.at(-1) });
    expect(idsOf([...first.records, ...rest.records])).toEqual(
      keysIn(sc, 'acme', 'acme-oss')
        .map((k) => `sonar_project_${k}`)
        .sort(),
    );
  });

  it("is refused in SonarCloud's words: a bad token (401), an unknown organization", async () => {
    const wrong: Credentials = { type: 'api_key', api_key: randomHex(40) };
    await expectProviderError(run(sc, 'projects', { ...acme, credentials: wrong }), 'rejected', {
      message: 'SonarCloud rejected the token',
      status: 401,
      secrets: secretsOf(wrong),
    });
    await expectProviderError(run(sc, 'projects', { config: { organization: 'initech' } }), 'rejected', {
      message: "No organization for key 'initech'",
      status: 404,
    });
  });

  it('is rate limited (two minutes when SonarCloud says no wait, else its Retry-After), or unreachable', async () => {
    sc.failNext('rate_limit');
    const e = await expectProviderError(run(sc, 'projects', acme), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBe(120);
    sc.failNext('rate_limit', 9);
    const f = await expectProviderError(run(sc, 'projects', acme), 'rate_limited');
    expect(f.retryAfterSeconds).toBe(9);
    sc.failNext('down');
    await expectProviderError(run(sc, 'projects', acme), 'unreachable', { status: 503 });
  });
});

describe('sonarcloud quality_gates', () => {
  let sc: SonarCloudFake;
  beforeAll(async () => {
    sc = await startSonarCloudFake();
    sc.seedProjects('acme', 120);
    sc.seedProjects('acme-oss', 7);
  });
  afterAll(() => sc.stop());

  it("reads every project's gate once, walking the projects 50 a page", async () => {
    const r = await run(sc, 'quality_gates');
    expectValid(r.records, 'quality_gate');
    expect(idsOf(r.records)).toEqual(
      keysIn(sc, 'acme', 'acme-oss')
        .map((k) => `sonar_qg_${k}`)
        .sort(),
    );
    // acme: 3 pages of 50, 50, 20; acme-oss: 1.
    expect(r.pages).toBe(4);
    const statusCalls = sc.requests.filter((q) => q.path === '/api/qualitygates/project_status');
    expect(statusCalls.length).toBe(127);
  });

  it('maps the status and conditions, analysed_at from the last analysis', async () => {
    const r = await run(sc, 'quality_gates', acme);
    const status = { OK: 'passed', ERROR: 'failed', WARN: 'warn', NONE: 'none' };
    const seen = new Set<string>();
    for (const rec of r.records) {
      const p = sc.projects.get(rec.id.replace(/^sonar_qg_/, ''));
      if (!p) throw new Error(`unknown ${rec.id}`);
      seen.add(p.gate.status);
      expect(rec.data).toEqual({
        project: p.key,
        status: status[p.gate.status],
        conditions: p.gate.conditions.map((c) => ({
          metric: c.metricKey,
          status: c.status,
          actual: c.actualValue ?? null,
          threshold: c.errorThreshold,
        })),
        url: `${sc.url}/project/overview?id=${p.key}`,
        analysed_at: p.analysisDate ? new Date(p.analysisDate).toISOString() : null,
      });
    }
    expect([...seen].sort()).toEqual(['ERROR', 'NONE', 'OK', 'WARN']);
    const failed = r.records.find((x) => x.data.status === 'failed');
    expect(failed?.data.conditions).toContainEqual({
      metric: 'new_coverage',
      status: 'ERROR',
      actual: '61.5',
      threshold: '80',
    });
  });

  it('leaves out a project deleted after the listing, and goes on', async () => {
    const [gone = ''] = sc.seedProjects('acme', 1, { deleted: true });
    const r = await run(sc, 'quality_gates', acme);
    expect(r.records.map((x) => x.id)).not.toContain(`sonar_qg_${gone}`);
    expect(r.records).toHaveLength(120);
  });

  it('fails the page on a refusal other than not found, and on a rate limit', async () => {
    sc.failNext('refuse');
    await expectProviderError(run(sc, 'quality_gates', acme), 'rejected', {
      message: 'Insufficient privileges',
      status: 403,
    });
    const page2 = () =>
      fetchPage('sonarcloud', 'quality_gates', {
        credentials: sc.valid,
        baseUrl: sc.apiBaseUrl,
        ...acme,
        checkpoint: { orgs: ['acme'], org: 0, page: 2 },
      });
    sc.failNext('rate_limit', 4);
    const e = await expectProviderError(page2(), 'rate_limited');
    expect(e.retryAfterSeconds).toBe(4);
    // The engine retries the same checkpoint later.
    expect((await page2()).records).toHaveLength(50);
  });
});
