import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter } from '../../../adapters';
import { project, qualityGate } from '../../../adapters/models';
import { randomHex } from '../../fakes/server';
import { SONARCLOUD_REFUSAL, type SonarCloudFake, startSonarCloudFake } from '../../fakes/sonarcloud';
import { type ActionCall, runAction } from './action-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let sc: SonarCloudFake;
let payments: string;
beforeAll(async () => {
  sc = await startSonarCloudFake();
  sc.seedProjects('acme', 140);
  [payments = ''] = sc.seedProjects('acme', 1, {
    name: 'Payments API',
    gate: sc.gates[1] as (typeof sc.gates)[number],
    analysisDate: '2024-05-01T12:30:00+0200',
  });
  const p = sc.projects.get(payments);
  p?.branches.set('release-2.0', {
    gate: sc.gates[0] as (typeof sc.gates)[number],
    analysisDate: '2024-05-03T08:00:00+0000',
  });
  p?.pullRequests.set('42', {
    gate: sc.gates[3] as (typeof sc.gates)[number],
    analysisDate: '2024-05-04T09:15:00+0000',
  });
});
afterAll(() => sc.stop());

const act = (action: string, input: Record<string, unknown>, o: Partial<ActionCall> = {}) =>
  runAction(
    'sonarcloud',
    action,
    { credentials: sc.valid, baseUrl: sc.apiBaseUrl, config: { organization: 'acme' }, ...o },
    input,
  );

describe('sonarcloud get_quality_gate_status', () => {
  it('is a read, filled from the workspace default project', async () => {
    const decl = (await loadAdapter('sonarcloud'))?.manifest.actions.find(
      (a) => a.name === 'get_quality_gate_status',
    );
    expect(decl).toMatchObject({ writes: false, projectField: 'project_key' });
  });

  it("answers the main branch's gate, its conditions and last analysis", async () => {
    const data = await act('get_quality_gate_status', { project_key: payments });
    expect(data).toEqual({
      quality_gate: {
        id: `sonar_qg_${payments}`,
        project: payments,
        status: 'failed',
        conditions: [
          { metric: 'new_coverage', status: 'ERROR', actual: '61.5', threshold: '80' },
          { metric: 'new_duplicated_lines_density', status: 'OK', actual: '1.1', threshold: '3' },
          { metric: 'new_reliability_rating', status: 'ERROR', actual: '3', threshold: '1' },
        ],
        url: `${sc.url}/project/overview?id=${payments}`,
        analysed_at: '2024-05-01T10:30:00.000Z',
      },
    });
    const { id: _, ...fields } = (data as { quality_gate: Record<string, unknown> }).quality_gate;
    expect(qualityGate.safeParse(fields).success).toBe(true);
  });

  it('answers a branch or a pull request when asked', async () => {
    expect(await act('get_quality_gate_status', { project_key: payments, branch: 'release-2.0' })).toEqual({
      quality_gate: expect.objectContaining({
        id: `sonar_qg_${payments}@branch:release-2.0`,
        status: 'passed',
        url: `${sc.url}/project/overview?id=${payments}&branch=release-2.0`,
        analysed_at: '2024-05-03T08:00:00.000Z',
      }),
    });
    expect(await act('get_quality_gate_status', { project_key: payments, pull_request: '42' })).toEqual({
      quality_gate: expect.objectContaining({
        id: `sonar_qg_${payments}@pr:42`,
        status: 'warn',
        conditions: [{ metric: 'new_code_smells', status: 'WARN', actual: '12', threshold: '10' }],
        url: `${sc.url}/project/overview?id=${payments}&pullRequest=42`,
        analysed_at: '2024-05-04T09:15:00.000Z',
      }),
    });
  });

  it('answers none for a project never analysed', async () => {
    const [fresh = ''] = sc.seedProjects('acme', 1, {
      gate: { status: 'NONE', conditions: [] },
      analysisDate: null,
    });
    expect(await act('get_quality_gate_status', { project_key: fresh })).toMatchObject({
      quality_gate: { status: 'none', conditions: [], analysed_at: null },
    });
  });

  it("is refused in SonarCloud's words: unknown project, branch or pull request, both at once", async () => {
    await expectProviderError(act('get_quality_gate_status', { project_key: 'acme_nope' }), 'rejected', {
      message: "Project 'acme_nope' not found",
      status: 404,
    });
    await expectProviderError(
      act('get_quality_gate_status', { project_key: payments, branch: 'main-old' }),
      'rejected',
      { message: `Branch 'main-old' in project '${payments}' not found`, status: 404 },
    );
    await expectProviderError(
      act('get_quality_gate_status', { project_key: payments, pull_request: '7' }),
      'rejected',
      { message: `Pull request '7' in project '${payments}' not found`, status: 404 },
    );
    await expectProviderError(
      act('get_quality_gate_status', { project_key: payments, branch: 'release-2.0', pull_request: '42' }),
      'rejected',
      { message: 'Either branch or pull request can be provided, not both', status: 400 },
    );
    sc.failNext('refuse');
    await expectProviderError(act('get_quality_gate_status', { project_key: payments }), 'rejected', {
      message: SONARCLOUD_REFUSAL,
      status: 403,
    });
  });

  it('is refused with status 401 for a token SonarCloud does not know (empty body)', async () => {
    const wrong: Credentials = { type: 'api_key', api_key: randomHex(40) };
    await expectProviderError(
      act('get_quality_gate_status', { project_key: payments }, { credentials: wrong }),
      'rejected',
      { message: 'SonarCloud rejected the token', status: 401, secrets: secretsOf(wrong) },
    );
  });

  it('is rate limited (Retry-After, else two minutes) and unreachable on a 5xx', async () => {
    sc.failNext('rate_limit', 7);
    const e = await expectProviderError(
      act('get_quality_gate_status', { project_key: payments }),
      'rate_limited',
    );
    expect(e.retryAfterSeconds).toBe(7);
    sc.failNext('rate_limit');
    const f = await expectProviderError(
      act('get_quality_gate_status', { project_key: payments }),
      'rate_limited',
    );
    expect(f.retryAfterSeconds).toBe(120);
    sc.failNext('down');
    await expectProviderError(act('get_quality_gate_status', { project_key: payments }), 'unreachable', {
      status: 503,
    });
  });
});

describe('sonarcloud list_projects', () => {
  type Projects = { projects: ({ id: string } & Record<string, unknown>)[]; next_cursor: string | null };

  it("lists the connection's organization's projects by name, a page at a time", async () => {
    const first = (await act('list_projects', {})) as Projects;
    expect(first.projects).toHaveLength(100);
    expect(first.next_cursor).toBe('2');
    const names = first.projects.map((p) => p.name as string);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const { id, ...p } of first.projects) {
      expect(id).toBe(`sonar_project_${p.key}`);
      expect(project.safeParse(p).success).toBe(true);
    }
    const rest = (await act('list_projects', { cursor: first.next_cursor })) as Projects;
    const all = [...first.projects, ...rest.projects].map((p) => p.key);
    expect(rest.next_cursor).toBeNull();
    expect(new Set(all)).toEqual(
      new Set([...sc.projects.values()].filter((p) => p.organization === 'acme').map((p) => p.key)),
    );
    expect(
      first.projects.find((p) => p.key === payments) ?? rest.projects.find((p) => p.key === payments),
    ).toEqual({
      id: `sonar_project_${payments}`,
      name: 'Payments API',
      kind: 'project',
      key: payments,
      description: null,
      status: 'active',
      raw_status: null,
      url: `${sc.url}/project/overview?id=${payments}`,
      parent: 'acme',
      starts_at: null,
      ends_at: null,
      created_at: null,
      updated_at: '2024-05-01T10:30:00.000Z',
    });
  });

  it('takes another organization and a page size', async () => {
    const [oss = ''] = sc.seedProjects('acme-oss', 3);
    const data = (await act('list_projects', { organization: 'acme-oss', page_size: 2 })) as Projects;
    expect(data.projects).toHaveLength(2);
    expect(data.next_cursor).toBe('2');
    expect(data.projects.every((p) => p.parent === 'acme-oss')).toBe(true);
    const rest = (await act('list_projects', {
      organization: 'acme-oss',
      page_size: 2,
      cursor: '2',
    })) as Projects;
    expect([...data.projects, ...rest.projects].map((p) => p.key)).toContain(oss);
  });

  it('is refused without an organization, calling nothing, and for an unknown one', async () => {
    const before = sc.requests.length;
    await expectProviderError(act('list_projects', {}, { config: {} }), 'rejected', {
      message: /organization/,
    });
    expect(sc.requests.length).toBe(before);
    await expectProviderError(act('list_projects', { organization: 'initech' }), 'rejected', {
      message: "No organization for key 'initech'",
      status: 404,
    });
  });

  it('takes the organization kept on the connection when the config has none', async () => {
    const data = (await act(
      'list_projects',
      {},
      { config: {}, metadata: { organization: 'acme' } },
    )) as Projects;
    expect(data.projects).toHaveLength(100);
  });
});
