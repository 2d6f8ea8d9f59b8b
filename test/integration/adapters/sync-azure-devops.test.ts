import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { expectValid, runSync } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let az: AzureDevOpsFake;
let active: number[];
let drafts: number[];
let merged: number[];
let abandoned: number[];
let done: number[];
let running: number[];

beforeAll(async () => {
  az = await startAzureDevOpsFake();
  az.addProject('Fabrikam');
  az.addProject('Web');
  az.addRepo('Fabrikam', 'api');
  az.addRepo('Web', 'site');
  active = az.seedPullRequests('Fabrikam', 'api', 101);
  drafts = az.seedPullRequests('Fabrikam', 'api', 2, { isDraft: true });
  merged = az.seedPullRequests('Web', 'site', 2, { status: 'completed' });
  abandoned = az.seedPullRequests('Web', 'site', 1, { status: 'abandoned' });
  done = az.seedBuilds('Fabrikam', 'api', 150);
  running = az.seedBuilds('Web', 'site', 2, { status: 'inProgress' });
});
afterAll(() => az.stop());

const call = () => ({ credentials: az.valid, baseUrl: az.apiBaseUrl, config: { organization: 'acme' } });

describe('azure_devops syncs', () => {
  it('repositories: each project’s repositories, mapped', async () => {
    const run = await runSync('azure_devops', 'repositories', call());
    expect(run.pages).toBe(2);
    expectValid(run.records, 'repository');
    expect(run.records.map((r) => r.data.full_name)).toEqual(['Fabrikam/api', 'Web/site']);
    expect(run.records[0]?.data).toMatchObject({ default_branch: 'main', private: true, archived: false });
  });

  it('pull_requests: every status, $top/$skip pages, statuses mapped like GitHub’s', async () => {
    const run = await runSync('azure_devops', 'pull_requests', call());
    expectValid(run.records, 'pull_request');
    expect(run.records).toHaveLength(active.length + drafts.length + merged.length + abandoned.length);
    // Fabrikam: 103 (pages of 100, 3); Web: 3.
    expect(run.pages).toBe(3);
    const byNumber = new Map(run.records.map((r) => [r.data.number, r.data]));
    expect(byNumber.get(active[0])).toMatchObject({ status: 'open', draft: false, merged_at: null });
    expect(byNumber.get(drafts[0])).toMatchObject({ status: 'in_progress', draft: true });
    expect(byNumber.get(merged[0])).toMatchObject({
      status: 'done',
      raw_status: 'completed',
      merged_at: expect.any(String),
    });
    expect(byNumber.get(abandoned[0])).toMatchObject({
      status: 'cancelled',
      merged_at: null,
      closed_at: expect.any(String),
    });
    expect(byNumber.get(merged[0])).toMatchObject({
      repository: 'Web/site',
      url: `${az.apiBaseUrl}/acme/Web/_git/site/pullrequest/${merged[0]}`,
      source_branch: `feature/${merged[0]}`,
      target_branch: 'main',
    });
  });

  it('pipeline_runs: builds by continuation token; incremental reads those finished since', async () => {
    const full = await runSync('azure_devops', 'pipeline_runs', call());
    expectValid(full.records, 'pipeline_run');
    expect(full.records).toHaveLength(done.length + running.length);
    expect(full.checkpoints[0]).toMatchObject({ index: 0, token: '100' });
    const run = full.records.find((r) => r.id === `azdo_build_${running[0]}`);
    expect(run?.data).toMatchObject({
      status: 'running',
      raw_status: 'inProgress',
      finished_at: null,
      repository: 'Web/site',
    });

    const since = new Date(Date.parse('2030-01-01T00:00:00Z')).toISOString();
    expect((await runSync('azure_devops', 'pipeline_runs', { ...call(), since })).records).toEqual([]);
    az.completeBuild(running[0] as number, 'failed');
    const finishedAt = full.records.reduce((m, r) => Math.max(m, Date.parse(String(r.data.created_at))), 0);
    const inc = await runSync('azure_devops', 'pipeline_runs', {
      ...call(),
      since: new Date(finishedAt + 1).toISOString(),
    });
    expect(inc.records.map((r) => r.id)).toEqual([`azdo_build_${running[0]}`]);
    expect(inc.records[0]?.data).toMatchObject({ status: 'failed', raw_status: 'failed' });
    const sent = az.requests.filter((r) => r.path === '/acme/Web/_apis/build/builds').at(-1);
    expect(sent).toBeDefined();
  });

  it('config.projects narrows the walk; a refusal is rejected with its TF message', async () => {
    const run = await runSync('azure_devops', 'repositories', {
      ...call(),
      config: { organization: 'acme', projects: ['Web'] },
    });
    expect(run.records.map((r) => r.data.full_name)).toEqual(['Web/site']);
    await expectProviderError(
      runSync('azure_devops', 'repositories', {
        ...call(),
        config: { organization: 'acme', projects: ['Nope'] },
      }),
      'rejected',
      { message: /^TF200016: The following project does not exist: Nope/, status: 404 },
    );
  });
});
