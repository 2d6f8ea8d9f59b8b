import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureDevOpsFake, startAzureDevOpsFake } from '../../fakes/azure-devops';
import { expectValid, idsOf, runSync } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

let az: AzureDevOpsFake;
let fabrikam: number[];
let web: number[];
let stories: number[];

beforeAll(async () => {
  az = await startAzureDevOpsFake();
  az.addProject('Fabrikam');
  az.addProject("Bob's Web");
  fabrikam = az.seedWorkItems('Fabrikam', 205);
  stories = az.seedWorkItems('Fabrikam', 3, { type: 'User Story', state: 'Ready for QA' });
  web = az.seedWorkItems("Bob's Web", 4, { state: 'Closed' });
});
afterAll(() => az.stop());

const call = () => ({ credentials: az.valid, baseUrl: az.apiBaseUrl, config: { organization: 'acme' } });

describe('azure_boards work_items', () => {
  it('reads every work item by WIQL in pages of 200 ids, each a batch read', async () => {
    const before = az.requests.length;
    const run = await runSync('azure_boards', 'work_items', call());
    expect(run.pages).toBe(2);
    expect(run.checkpoints).toEqual([{ after: fabrikam[199] }]);
    expect(idsOf(run.records)).toEqual([...fabrikam, ...stories, ...web].map((id) => `azb_wi_${id}`).sort());
    expectValid(run.records, 'work_item');
    const paths = az.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p === 'POST /acme/_apis/wit/wiql')).toHaveLength(2);
    expect(paths.filter((p) => p === 'POST /acme/_apis/wit/workitemsbatch')).toHaveLength(2);
    // The customised state's category, looked up once for its (project, type).
    expect(paths.filter((p) => p.includes('/workitemtypes/'))).toEqual([
      'GET /acme/Fabrikam/_apis/wit/workitemtypes/User%20Story/states',
    ]);
  });

  it('maps fields: HTML description as text, tags as labels, states by name and category', async () => {
    const run = await runSync('azure_boards', 'work_items', call());
    const byId = new Map(run.records.map((r) => [r.id, r.data]));
    expect(byId.get(`azb_wi_${fabrikam[0]}`)).toEqual({
      title: 'Fabrikam item 1',
      description: 'Do thing 1',
      status: 'open',
      raw_status: 'New',
      assignees: ['Jane Doe'],
      labels: ['backend', 'p1'],
      url: `${az.apiBaseUrl}/acme/Fabrikam/_workitems/edit/${fabrikam[0]}`,
      project: 'Fabrikam',
      due_date: null,
      created_at: expect.stringMatching(/^2025-01-01T\d\d:\d\d:00\.000Z$/),
      updated_at: expect.stringMatching(/^2025-01-01T\d\d:\d\d:00\.000Z$/),
    });
    expect(byId.get(`azb_wi_${stories[0]}`)).toMatchObject({
      status: 'in_progress',
      raw_status: 'Ready for QA',
    });
    expect(byId.get(`azb_wi_${web[0]}`)).toMatchObject({ status: 'done', project: "Bob's Web" });
  });

  it('narrows to config.projects, quoting names for WIQL', async () => {
    const run = await runSync('azure_boards', 'work_items', {
      ...call(),
      config: { organization: 'acme', projects: ["Bob's Web"] },
    });
    expect(idsOf(run.records)).toEqual(web.map((id) => `azb_wi_${id}`).sort());
  });

  it('incremental runs read what changed since, by System.ChangedDate to the second', async () => {
    const last = az.workItem(web[3] as number)?.changed as number;
    const since = new Date(last + 1000).toISOString();
    az.updateWorkItem(fabrikam[10] as number, { title: 'Renamed', state: 'Active' });
    const run = await runSync('azure_boards', 'work_items', { ...call(), since });
    expect(run.records.map((r) => r.id)).toEqual([`azb_wi_${fabrikam[10]}`]);
    expect(run.records[0]?.data).toMatchObject({ title: 'Renamed', status: 'in_progress' });
  });

  it('a refusal is rejected with its TF message', async () => {
    az.failNext('refuse');
    await expectProviderError(runSync('azure_boards', 'work_items', call()), 'rejected', {
      message: /^TF200016/,
      status: 404,
    });
  });
});

describe('azure_boards projects', () => {
  it('lists the projects by continuation token, mapped', async () => {
    for (let i = 0; i < 100; i++) az.addProject(`Team ${i}`);
    const run = await runSync('azure_boards', 'projects', call());
    expect(run.pages).toBe(2);
    expect(run.checkpoints).toEqual([{ continuationToken: '100' }]);
    expect(run.records).toHaveLength(102);
    expectValid(run.records, 'project');
    expect(run.records[0]?.data).toMatchObject({
      name: 'Fabrikam',
      kind: 'project',
      status: 'active',
      raw_status: 'wellFormed',
      url: `${az.apiBaseUrl}/acme/Fabrikam`,
      parent: 'acme',
    });
  });
});
