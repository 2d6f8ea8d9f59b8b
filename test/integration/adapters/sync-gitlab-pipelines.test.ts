import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRecord } from '../../../adapters';
import { type GitLabFake, startGitLabFake } from '../../fakes/gitlab';
import { expectValid, fetchPage, idsOf, runSync, type SyncCall } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

const pipelinesOf = (gl: GitLabFake, call: Partial<SyncCall> = {}, o: { maxPages?: number } = {}) =>
  runSync('gitlab', 'pipelines', { credentials: gl.valid, baseUrl: gl.apiBaseUrl, ...call }, o);
const ids = (list: number[]) => list.map((id) => `gitlab_pipeline_${id}`).sort();
const byId = (records: SyncRecord[]) => new Map(records.map((r) => [r.id, r.data]));

type RawPipeline = {
  id: number;
  name: string | null;
  sha: string;
  ref: string;
  status: string;
  source: string;
  created_at: string;
  updated_at: string;
  web_url: string;
};

/**
 * payments-api: 230 pipelines (three pages); web: 12; ops: CI/CD off (403, nothing); a public
 * project the user is no member of: never read.
 */
const seed = (gl: GitLabFake) => {
  const payments = gl.seedPipelines(230, { project: 'acme/payments-api' });
  const web = gl.seedPipelines(12, { project: 'acme/web' });
  gl.addProject('acme/ops', { ciEnabled: false });
  gl.seedPipelines(4, { project: 'gitlab-org/gitlab' });
  gl.addProject('gitlab-org/gitlab', { member: false, visibility: 'public' });
  return { payments, web };
};

describe('gitlab pipelines', () => {
  let gl: GitLabFake;
  let seeded: ReturnType<typeof seed>;
  beforeAll(async () => {
    gl = await startGitLabFake();
    seeded = seed(gl);
  });
  afterAll(() => gl.stop());

  it("reads every pipeline of the user's projects exactly once, 100 a page; CI off reads nothing", async () => {
    const run = await pipelinesOf(gl);
    expectValid(run.records, 'pipeline_run');
    expect(idsOf(run.records)).toEqual(ids([...seeded.payments, ...seeded.web]));
    // payments-api 3 pages, web 1, ops 1 (403: nothing there).
    expect(run.pages).toBe(5);
  });

  it("maps each pipeline from GitLab's answer, its status in the model's terms", async () => {
    const run = await pipelinesOf(gl, { config: { projects: ['acme/web'] } });
    const data = byId(run.records);
    const statuses = new Map<string, string>();
    for (const id of seeded.web) {
      const raw = gl.pipeline(id) as RawPipeline;
      const mapped = data.get(`gitlab_pipeline_${id}`);
      const created = Math.floor(Date.parse(raw.created_at) / 1000) * 1000;
      expect(mapped).toEqual({
        pipeline: raw.name ?? raw.source,
        status: mapped?.status,
        raw_status: raw.status,
        repository: 'acme/web',
        ref: 'main',
        sha: raw.sha,
        url: raw.web_url,
        started_at: null,
        finished_at: null,
        created_at: new Date(created).toISOString(),
      });
      statuses.set(raw.status, String(mapped?.status));
    }
    expect(Object.fromEntries(statuses)).toEqual({
      success: 'succeeded',
      failed: 'failed',
      running: 'running',
      canceled: 'cancelled',
      manual: 'queued',
    });
    expect([...data.values()].some((d) => d.pipeline === 'Nightly build')).toBe(true);
  });

  it('incremental: only pipelines updated since (updated_after), across pages', async () => {
    // After every pipeline's updated_at (the fake's clock runs a second a pipeline).
    const latest = Math.max(
      ...[...seeded.payments, ...seeded.web].map((id) =>
        Date.parse((gl.pipeline(id) as RawPipeline).updated_at),
      ),
    );
    const since = new Date(latest + 1000).toISOString();
    const changed = [seeded.payments[3], seeded.payments[150], seeded.web[0]] as number[];
    for (const id of changed) gl.updatePipeline(id, 'success');
    const added = gl.seedPipelines(2, { project: 'acme/web' });
    const inc = await pipelinesOf(gl, { since, mode: 'incremental' });
    expect(idsOf(inc.records)).toEqual(ids([...changed, ...added]));
    expect(byId(inc.records).get(`gitlab_pipeline_${changed[0]}`)?.raw_status).toBe('success');
    seeded.web.push(...added);
  });

  it('resumes after any page from the checkpoint as stored', async () => {
    const all = await pipelinesOf(gl);
    for (let k = 1; k < all.pages; k++) {
      const first = await pipelinesOf(gl, {}, { maxPages: k });
      const rest = await pipelinesOf(gl, { checkpoint: first.checkpoints.at(-1) });
      expect(idsOf([...first.records, ...rest.records])).toEqual(idsOf(all.records));
    }
  });

  it('429 → rate_limited with its wait; 500 → unreachable; then it goes on', async () => {
    const checkpoint = (await pipelinesOf(gl, {}, { maxPages: 1 })).checkpoints.at(-1);
    gl.failNext('rate_limit', 40);
    const limited = await expectProviderError(
      fetchPage('gitlab', 'pipelines', { credentials: gl.valid, baseUrl: gl.apiBaseUrl, checkpoint }),
      'rate_limited',
      { status: 429 },
    );
    expect(limited.retryAfterSeconds).toBe(40);
    gl.failNext('down');
    await expectProviderError(
      fetchPage('gitlab', 'pipelines', { credentials: gl.valid, baseUrl: gl.apiBaseUrl, checkpoint }),
      'unreachable',
      { status: 500 },
    );
    const page = await fetchPage('gitlab', 'pipelines', {
      credentials: gl.valid,
      baseUrl: gl.apiBaseUrl,
      checkpoint,
    });
    expect(page.records.length).toBe(100);
  });
});
