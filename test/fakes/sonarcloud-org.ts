import { type FakeReply, type FakeRequest, reply } from './server';

/**
 * SonarQube Cloud organizations, their projects and quality gates, in the Web API's shapes
 * (refusals `{"errors": [{"msg": "…"}]}`):
 * - GET /api/organizations/search (`member=true`, `p`, `ps` ≤ 500), `{paging, organizations}`.
 * - GET /api/components/search_projects (`organization` required, `p`, `ps` ≤ 500,
 *   `f=analysisDate`): the projects sorted by name, `{paging: {pageIndex, pageSize, total},
 *   organizations, components, facets}`. It answers from a search index, so a project just
 *   deleted may still be listed (`deleted`), while the other calls say it is not found.
 * - GET /api/qualitygates/project_status (`projectKey`, `branch` or `pullRequest`):
 *   `{projectStatus: {status, ignoredConditions, caycStatus, conditions, period}}`.
 * - GET /api/components/show (`component`, `branch`, `pullRequest`): the component with its
 *   `analysisDate`.
 * Dates as Sonar writes them: `2024-05-01T10:00:00+0000`.
 * https://sonarcloud.io/web_api/api/components/search_projects
 * https://sonarcloud.io/web_api/api/qualitygates/project_status
 */

export type FakeCondition = {
  status: 'OK' | 'ERROR' | 'WARN';
  metricKey: string;
  comparator: 'LT' | 'GT';
  errorThreshold: string;
  actualValue?: string;
};

export type FakeGate = { status: 'OK' | 'ERROR' | 'WARN' | 'NONE'; conditions: FakeCondition[] };

export type FakeAnalysed = { gate: FakeGate; analysisDate: string | null };

export type FakeProject = FakeAnalysed & {
  key: string;
  name: string;
  organization: string;
  visibility: 'public' | 'private';
  branches: Map<string, FakeAnalysed>;
  pullRequests: Map<string, FakeAnalysed>;
  /** Deleted, but still in the search index for a moment. */
  deleted?: boolean;
};

const sonarDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

export const sonarErrors = (status: number, ...messages: string[]): FakeReply =>
  reply(status, { errors: messages.map((msg) => ({ msg })) });

const passing: FakeCondition[] = [
  { status: 'OK', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '86.2' },
  {
    status: 'OK',
    metricKey: 'new_duplicated_lines_density',
    comparator: 'GT',
    errorThreshold: '3',
    actualValue: '0.4',
  },
];
const failing: FakeCondition[] = [
  { status: 'ERROR', metricKey: 'new_coverage', comparator: 'LT', errorThreshold: '80', actualValue: '61.5' },
  {
    status: 'OK',
    metricKey: 'new_duplicated_lines_density',
    comparator: 'GT',
    errorThreshold: '3',
    actualValue: '1.1',
  },
  {
    status: 'ERROR',
    metricKey: 'new_reliability_rating',
    comparator: 'GT',
    errorThreshold: '1',
    actualValue: '3',
  },
];
const GATES: FakeGate[] = [
  { status: 'OK', conditions: passing },
  { status: 'ERROR', conditions: failing },
  { status: 'NONE', conditions: [] },
  {
    status: 'WARN',
    conditions: [
      {
        status: 'WARN',
        metricKey: 'new_code_smells',
        comparator: 'GT',
        errorThreshold: '10',
        actualValue: '12',
      },
    ],
  },
];

const int = (v: string | null, fallback: number): number | undefined => {
  if (v === null) return fallback;
  return /^\d+$/.test(v) ? Number(v) : undefined;
};

const pageOf = <T>(q: URLSearchParams, all: T[], defaultSize: number) => {
  const p = int(q.get('p'), 1);
  const ps = int(q.get('ps'), defaultSize);
  if (p === undefined || p < 1)
    return { error: sonarErrors(400, `'p' value (${q.get('p')}) must be greater than 0`) };
  if (ps === undefined || ps > 500) {
    return { error: sonarErrors(400, `'ps' value (${q.get('ps')}) must be less than 500`) };
  }
  return {
    paging: { pageIndex: p, pageSize: ps, total: all.length },
    items: all.slice((p - 1) * ps, p * ps),
  };
};

export const sonarCloudOrg = () => {
  const organizations = new Map<string, { key: string; name: string; member: boolean }>();
  const projects = new Map<string, FakeProject>();
  let clock = Date.parse('2024-04-02T08:00:00.000Z');
  let seq = 0;

  const addOrganization = (key: string, o: { name?: string; member?: boolean } = {}) => {
    organizations.set(key, { key, name: o.name ?? key.toUpperCase(), member: o.member ?? true });
  };

  const seedProjects = (
    organization: string,
    n: number,
    o: Partial<Omit<FakeProject, 'key' | 'organization' | 'branches' | 'pullRequests'>> = {},
  ): string[] =>
    Array.from({ length: n }, () => {
      seq++;
      const key = `${organization}_service-${String(seq).padStart(4, '0')}`;
      const gate = GATES[seq % GATES.length] as FakeGate;
      clock += 3_600_000;
      projects.set(key, {
        key,
        // Names in another order than keys: listings are by name.
        name: `Service ${String((seq * 7919) % 10007).padStart(5, '0')}`,
        organization,
        visibility: seq % 3 === 0 ? 'public' : 'private',
        gate,
        analysisDate: gate.status === 'NONE' ? null : sonarDate(clock),
        branches: new Map(),
        pullRequests: new Map(),
        ...o,
      });
      return key;
    });

  const analysed = (p: FakeProject, q: URLSearchParams): FakeAnalysed | FakeReply => {
    const branch = q.get('branch');
    const pr = q.get('pullRequest');
    if (branch !== null && pr !== null) {
      return sonarErrors(400, 'Either branch or pull request can be provided, not both');
    }
    if (branch !== null) {
      return p.branches.get(branch) ?? sonarErrors(404, `Branch '${branch}' in project '${p.key}' not found`);
    }
    if (pr !== null) {
      return (
        p.pullRequests.get(pr) ?? sonarErrors(404, `Pull request '${pr}' in project '${p.key}' not found`)
      );
    }
    return p;
  };
  const isReply = (x: FakeAnalysed | FakeReply): x is FakeReply =>
    'status' in x && typeof x.status === 'number';

  const searchProjects = (q: URLSearchParams): FakeReply => {
    const org = q.get('organization');
    if (!org) return sonarErrors(400, "The 'organization' parameter is missing");
    const o = organizations.get(org);
    if (!o) return sonarErrors(404, `No organization for key '${org}'`);
    const all = [...projects.values()]
      .filter((p) => p.organization === org)
      .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
    const page = pageOf(q, all, 100);
    if ('error' in page) return page.error as FakeReply;
    const withDate = (q.get('f') ?? '').split(',').some((f) => f === 'analysisDate' || f === '_all');
    return reply(200, {
      paging: page.paging,
      organizations: [{ key: o.key, name: o.name }],
      components: page.items.map((p) => ({
        organization: p.organization,
        key: p.key,
        name: p.name,
        isFavorite: false,
        tags: [],
        visibility: p.visibility,
        ...(withDate && p.analysisDate ? { analysisDate: p.analysisDate } : {}),
      })),
      facets: [],
    });
  };

  const searchOrganizations = (q: URLSearchParams): FakeReply => {
    const all = [...organizations.values()].filter((o) => q.get('member') !== 'true' || o.member);
    const page = pageOf(q, all, 100);
    if ('error' in page) return page.error as FakeReply;
    return reply(200, {
      paging: page.paging,
      organizations: page.items.map((o) => ({
        key: o.key,
        name: o.name,
        description: '',
        url: '',
        avatar: '',
        actions: { admin: false, delete: false, provision: false },
      })),
    });
  };

  const projectStatus = (q: URLSearchParams): FakeReply => {
    const key = q.get('projectKey');
    if (!key) return sonarErrors(400, "Either 'analysisId', 'projectId' or 'projectKey' must be provided");
    const p = projects.get(key);
    if (!p || p.deleted) return sonarErrors(404, `Project '${key}' not found`);
    const a = analysed(p, q);
    if (isReply(a)) return a;
    return reply(200, {
      projectStatus: {
        status: a.gate.status,
        ignoredConditions: false,
        caycStatus: a.gate.status === 'OK' ? 'compliant' : 'non-compliant',
        conditions: a.gate.conditions,
        ...(a.analysisDate ? { period: { mode: 'previous_version', date: '2024-01-15T09:00:00+0000' } } : {}),
      },
    });
  };

  const showComponent = (q: URLSearchParams): FakeReply => {
    const key = q.get('component') ?? '';
    const p = projects.get(key);
    if (!p || p.deleted) return sonarErrors(404, `Component key '${key}' not found`);
    const a = analysed(p, q);
    if (isReply(a)) return a;
    return reply(200, {
      component: {
        organization: p.organization,
        key: p.key,
        name: p.name,
        qualifier: 'TRK',
        tags: [],
        visibility: p.visibility,
        ...(a.analysisDate ? { analysisDate: a.analysisDate } : {}),
        ...(q.get('branch') ? { branch: q.get('branch') } : {}),
        ...(q.get('pullRequest') ? { pullRequest: q.get('pullRequest') } : {}),
      },
      ancestors: [],
    });
  };

  /** The data endpoints (a known token); undefined for any other path. */
  const handle = (req: FakeRequest): FakeReply | undefined => {
    if (req.method !== 'GET') return undefined;
    if (req.path === '/api/components/search_projects') return searchProjects(req.query);
    if (req.path === '/api/organizations/search') return searchOrganizations(req.query);
    if (req.path === '/api/qualitygates/project_status') return projectStatus(req.query);
    if (req.path === '/api/components/show') return showComponent(req.query);
    return undefined;
  };

  return { organizations, projects, addOrganization, seedProjects, handle, gates: GATES, sonarDate };
};

export type SonarCloudOrg = ReturnType<typeof sonarCloudOrg>;
