import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * Azure DevOps Services (dev.azure.com/{organization}) as Azure DevOps and Azure Boards call it:
 * one organization with its projects, Git repositories, pull requests, builds and work items,
 * and service hook subscriptions (Web Hooks consumer) that POST its events.
 *
 * Wire format, as documented:
 * - every call needs `api-version` (query): without it 400 VssVersionNotSpecifiedException;
 * - a personal access token as HTTP basic with any user name; one it does not know is answered
 *   203 Non-Authoritative Information with the HTML of the sign-in page; a bearer token it does
 *   not know 401 with `X-TFS-ServiceError` and `WWW-Authenticate: Bearer`;
 * - errors `{ $id, innerException, message, typeName, typeKey, errorCode, eventId }`, messages
 *   with their TF/VS numbers;
 * - lists `{ count, value }`; projects and builds page by `$top` and the `x-ms-continuationtoken`
 *   header handed back as `continuationToken`; pull requests by `$top`/`$skip`;
 * - WIQL (`POST _apis/wit/wiql`) answers ids only, `workitemsbatch` ≤ 200 ids, work item
 *   writes need `application/json-patch+json`;
 * - rate limiting: 429 with Retry-After and X-RateLimit-Resource/-Delay/-Limit/-Remaining/-Reset.
 * https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/rest/basics
 * https://learn.microsoft.com/en-us/azure/devops/integrate/concepts/rate-limits
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/services/webhooks
 */

export type AzureFailure = 'refuse' | 'down' | 'rate_limit';

/** The message of failNext('refuse'): Azure DevOps' answer for a project that does not exist. */
export const AZURE_REFUSAL = 'TF200016: The following project does not exist: Nope.';

type Project = {
  id: string;
  name: string;
  description: string;
  updated: number;
  visibility: 'private' | 'public';
};
type Repo = { id: string; name: string; project: Project; defaultBranch: string; disabled: boolean };
type PullRequest = {
  id: number;
  repo: Repo;
  title: string;
  status: 'active' | 'completed' | 'abandoned';
  isDraft: boolean;
  created: number;
  closed: number | undefined;
  reviewers: string[];
  labels: string[];
};
type Build = {
  id: number;
  project: Project;
  definition: string;
  repo: Repo | undefined;
  status: 'notStarted' | 'inProgress' | 'completed';
  result: 'succeeded' | 'failed' | 'canceled' | 'partiallySucceeded' | undefined;
  queued: number;
  started: number | undefined;
  finished: number | undefined;
};
type WorkItem = {
  id: number;
  rev: number;
  project: Project;
  type: string;
  title: string;
  description: string;
  state: string;
  assignedTo: string | undefined;
  tags: string[];
  created: number;
  changed: number;
  deleted: boolean;
};

/** States of each work item type (Agile), with their categories; `Review` a customised process's. */
const STATES: Record<string, [string, string][]> = {
  Task: [
    ['New', 'Proposed'],
    ['Active', 'InProgress'],
    ['Closed', 'Completed'],
    ['Removed', 'Removed'],
  ],
  Bug: [
    ['New', 'Proposed'],
    ['Active', 'InProgress'],
    ['Resolved', 'Resolved'],
    ['Closed', 'Completed'],
  ],
  'User Story': [
    ['New', 'Proposed'],
    ['Active', 'InProgress'],
    ['Ready for QA', 'Resolved'],
    ['Closed', 'Completed'],
    ['Removed', 'Removed'],
  ],
};

type Subscription = { url: string; username?: string; password?: string; headers: Record<string, string> };

export type AzureDevOpsFake = ProviderFake<Credentials> &
  WebhookOutboxControls & {
    organization: string;
    organizationId: string;
    oauth: Credentials;
    addProject(name: string, o?: { visibility?: 'private' | 'public' }): Project;
    addRepo(project: string, name: string): Repo;
    seedPullRequests(
      project: string,
      repo: string,
      n: number,
      o?: Partial<Pick<PullRequest, 'status' | 'isDraft'>>,
    ): number[];
    seedBuilds(
      project: string,
      repo: string,
      n: number,
      o?: Partial<Pick<Build, 'status' | 'result'>>,
    ): number[];
    seedWorkItems(project: string, n: number, o?: Partial<Pick<WorkItem, 'type' | 'state'>>): number[];
    workItem(id: number): WorkItem | undefined;
    pullRequest(id: number): PullRequest | undefined;
    threads(prId: number): { id: number; content: string }[];
    /** Changes a work item as a user does in the web UI (a revision; workitem.updated). */
    updateWorkItem(id: number, fields: Partial<Pick<WorkItem, 'title' | 'state'>>): void;
    deleteWorkItem(id: number): void;
    updatePullRequest(id: number, fields: Partial<Pick<PullRequest, 'title' | 'status' | 'isDraft'>>): void;
    completeBuild(id: number, result: Build['result']): void;
    /** A Web Hooks subscription: basic auth and/or extra headers, as the subscription is configured. */
    registerWebhook(
      url: string,
      auth: { username?: string; password?: string; headers?: Record<string, string> },
    ): void;
    failNext(kind: AzureFailure, retryAfterSeconds?: number): void;
  };

const iso = (t: number) => new Date(t).toISOString();
// Azure DevOps writes 7 fractional digits at times: the adapter must read them.
const iso7 = (t: number) => iso(t).replace(/\.(\d{3})Z$/, '.$10000Z');

const error = (
  status: number,
  message: string,
  typeKey: string,
  headers: Record<string, string> = {},
): FakeReply =>
  reply(
    status,
    {
      $id: '1',
      innerException: null,
      message,
      typeName: `Microsoft.TeamFoundation.Framework.Server.${typeKey}, Microsoft.TeamFoundation.Framework.Server`,
      typeKey,
      errorCode: 0,
      eventId: 3000,
    },
    headers,
  );

const SIGN_IN_PAGE =
  '<!DOCTYPE html><html><head><title>Azure DevOps Services | Sign In</title></head><body><form action="https://login.microsoftonline.com/">Sign in</form></body></html>';

export const startAzureDevOpsFake = async (o: { organization?: string } = {}): Promise<AzureDevOpsFake> => {
  const organization = o.organization ?? 'acme';
  const organizationId = randomUUID();
  const pat = randomToken(52).toLowerCase();
  const bearer = `eyJ0eXAiOiJKV1Qi.${randomToken(120)}`;
  const user = { id: randomUUID(), name: 'Jane Doe', email: 'jane@acme.example' };
  let base = '';
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const tick = () => (clock += 60_000);
  let nextId = 1;

  const projects: Project[] = [];
  const repos: Repo[] = [];
  const prs: PullRequest[] = [];
  const builds: Build[] = [];
  const items: WorkItem[] = [];
  const threads = new Map<number, { id: number; content: string }[]>();
  const subscriptions: Subscription[] = [];
  const failures: { kind: AzureFailure; secs: number }[] = [];
  const outbox = createWebhookOutbox();

  const orgUrl = () => `${base}/${organization}`;
  const projectByName = (name: string) => projects.find((p) => p.name.toLowerCase() === name.toLowerCase());
  const repoOf = (project: Project, ref: string) =>
    repos.find((r) => r.project === project && (r.name.toLowerCase() === ref.toLowerCase() || r.id === ref));

  const projectRef = (p: Project) => ({
    id: p.id,
    name: p.name,
    description: p.description,
    url: `${orgUrl()}/_apis/projects/${p.id}`,
    state: 'wellFormed',
    revision: 10,
    visibility: p.visibility,
    lastUpdateTime: iso7(p.updated),
  });
  const repoJson = (r: Repo) => ({
    id: r.id,
    name: r.name,
    url: `${orgUrl()}/${r.project.id}/_apis/git/repositories/${r.id}`,
    project: projectRef(r.project),
    defaultBranch: r.defaultBranch,
    size: 1024,
    remoteUrl: `${orgUrl()}/${encodeURIComponent(r.project.name)}/_git/${encodeURIComponent(r.name)}`,
    webUrl: `${orgUrl()}/${encodeURIComponent(r.project.name)}/_git/${encodeURIComponent(r.name)}`,
    isDisabled: r.disabled,
    isInMaintenance: false,
  });
  const identity = (name: string) => ({
    displayName: name,
    uniqueName: `${name.toLowerCase().replace(/\s+/g, '.')}@acme.example`,
    id: randomUUID(),
  });
  const prJson = (p: PullRequest) => ({
    repository: {
      id: p.repo.id,
      name: p.repo.name,
      url: repoJson(p.repo).url,
      project: projectRef(p.repo.project),
    },
    pullRequestId: p.id,
    codeReviewId: p.id,
    status: p.status,
    createdBy: identity(user.name),
    creationDate: iso7(p.created),
    ...(p.closed !== undefined ? { closedDate: iso7(p.closed) } : {}),
    title: p.title,
    description: `Changes for ${p.title}`,
    sourceRefName: `refs/heads/feature/${p.id}`,
    targetRefName: 'refs/heads/main',
    mergeStatus: p.status === 'completed' ? 'succeeded' : 'queued',
    isDraft: p.isDraft,
    reviewers: p.reviewers.map((r) => ({ ...identity(r), vote: 0 })),
    labels: p.labels.map((name) => ({ id: randomUUID(), name, active: true })),
    url: `${orgUrl()}/${p.repo.project.id}/_apis/git/repositories/${p.repo.id}/pullRequests/${p.id}`,
    supportsIterations: true,
  });
  const buildJson = (b: Build) => ({
    _links: { web: { href: `${orgUrl()}/${b.project.id}/_build/results?buildId=${b.id}` } },
    id: b.id,
    buildNumber: `2025.${b.id}`,
    status: b.status,
    ...(b.result ? { result: b.result } : {}),
    queueTime: iso7(b.queued),
    ...(b.started !== undefined ? { startTime: iso7(b.started) } : {}),
    ...(b.finished !== undefined ? { finishTime: iso7(b.finished) } : {}),
    url: `${orgUrl()}/${b.project.id}/_apis/build/Builds/${b.id}`,
    definition: { id: 7, name: b.definition, path: '\\', type: 'build', queueStatus: 'enabled' },
    project: projectRef(b.project),
    sourceBranch: 'refs/heads/main',
    sourceVersion: randomUUID().replaceAll('-', '').padEnd(40, '0'),
    ...(b.repo ? { repository: { id: b.repo.id, name: b.repo.name, type: 'TfsGit' } } : {}),
  });
  const fieldsOf = (w: WorkItem): Record<string, unknown> => ({
    'System.Id': w.id,
    'System.AreaPath': w.project.name,
    'System.TeamProject': w.project.name,
    'System.IterationPath': w.project.name,
    'System.WorkItemType': w.type,
    'System.State': w.state,
    'System.Reason': w.state === 'New' ? 'New' : 'Moved',
    ...(w.assignedTo ? { 'System.AssignedTo': identity(w.assignedTo) } : {}),
    'System.CreatedDate': iso7(w.created),
    'System.CreatedBy': identity(user.name),
    'System.ChangedDate': iso7(w.changed),
    'System.ChangedBy': identity(user.name),
    'System.Title': w.title,
    ...(w.description ? { 'System.Description': w.description } : {}),
    ...(w.tags.length ? { 'System.Tags': w.tags.join('; ') } : {}),
  });
  const workItemJson = (w: WorkItem, only?: string[]) => {
    const all = fieldsOf(w);
    const fields = only ? Object.fromEntries(Object.entries(all).filter(([k]) => only.includes(k))) : all;
    return { id: w.id, rev: w.rev, fields, url: `${orgUrl()}/${w.project.id}/_apis/wit/workItems/${w.id}` };
  };

  // --- service hooks ---
  const containers = (p: Project) => ({
    collection: { id: organizationId, baseUrl: `${orgUrl()}/` },
    account: { id: randomUUID(), baseUrl: `${orgUrl()}/` },
    project: { id: p.id, baseUrl: `${orgUrl()}/` },
  });
  const publish = (eventType: string, publisherId: string, project: Project, resource: unknown) => {
    const body = JSON.stringify({
      subscriptionId: randomUUID(),
      notificationId: nextId++,
      id: randomUUID(),
      eventType,
      publisherId,
      message: { text: eventType },
      detailedMessage: { text: eventType },
      resource,
      resourceVersion: '1.0',
      resourceContainers: containers(project),
      createdDate: iso7(clock),
    });
    for (const s of subscriptions) {
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        ...s.headers,
      };
      if (s.username !== undefined || s.password !== undefined) {
        headers.authorization = `Basic ${Buffer.from(`${s.username ?? ''}:${s.password ?? ''}`).toString('base64')}`;
      }
      void outbox.send({ url: s.url, event: eventType, headers, body });
    }
  };

  // --- authentication ---
  const authOf = (req: FakeRequest): 'ok' | FakeReply => {
    const h = req.headers.authorization ?? '';
    const basic = /^Basic (.+)$/.exec(h);
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const password = decoded.slice(decoded.indexOf(':') + 1);
      return password === pat
        ? 'ok'
        : reply(203, SIGN_IN_PAGE, { 'content-type': 'text/html; charset=utf-8' });
    }
    const b = /^Bearer (.+)$/.exec(h);
    if (b) {
      return b[1] === bearer
        ? 'ok'
        : reply(401, '', {
            'www-authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/common',
            'x-tfs-serviceerror': encodeURIComponent(
              'TF400813: The user is not authorized to access this resource.',
            ),
          });
    }
    // Anonymous: the sign-in page.
    return reply(203, SIGN_IN_PAGE, { 'content-type': 'text/html; charset=utf-8' });
  };

  const takeFailure = (): FakeReply | undefined => {
    const f = failures.shift();
    if (!f) return undefined;
    if (f.kind === 'refuse') return error(404, AZURE_REFUSAL, 'ProjectDoesNotExistWithNameException');
    if (f.kind === 'down')
      return error(503, 'TF400898: An Internal Error Occurred.', 'ServiceUnavailableException');
    return error(429, 'Request was blocked due to exceeding usage of resource.', 'RequestBlockedException', {
      'retry-after': String(f.secs),
      'x-ratelimit-resource': 'ATCPU',
      'x-ratelimit-delay': '0',
      'x-ratelimit-limit': '200',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + f.secs),
    });
  };

  const json = (req: FakeRequest): Record<string, unknown> | unknown[] | undefined => {
    try {
      return JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };

  /** The subset of WIQL the adapters write, clause by clause; anything else is TF51006. */
  const wiql = (query: string, scope: Project | undefined, precise: boolean): WorkItem[] | FakeReply => {
    // Without timePrecision=true WIQL compares dates by day: the time of a literal is ignored.
    const day = (t: number) => (precise ? t : Math.floor(t / 86_400_000) * 86_400_000);
    const m = /^SELECT \[System\.Id\] FROM WorkItems(?: WHERE (.+?))? ORDER BY \[System\.Id\] ASC$/i.exec(
      query.trim(),
    );
    if (!m)
      return error(
        400,
        'TF51006: The query statement is missing a FROM clause or is malformed.',
        'WiqlSyntaxException',
      );
    const tests: ((w: WorkItem) => boolean)[] = [];
    const lit = (s: string) => s.slice(1, -1).replace(/''/g, "'");
    for (const clause of m[1] ? m[1].split(' AND ') : []) {
      const id = /^\[System\.Id\] > (\d+)$/.exec(clause);
      const inProjects = /^\[System\.TeamProject\] IN \((.+)\)$/.exec(clause);
      const changed = /^\[System\.ChangedDate\] >= ('(?:[^']|'')*')$/.exec(clause);
      const equals = /^\[System\.(State|WorkItemType)\] = ('(?:[^']|'')*')$/.exec(clause);
      if (id) {
        const n = Number(id[1]);
        tests.push((w) => w.id > n);
      } else if (inProjects) {
        const names = (inProjects[1] ?? '').match(/'(?:[^']|'')*'/g)?.map((x) => lit(x).toLowerCase()) ?? [];
        tests.push((w) => names.includes(w.project.name.toLowerCase()));
      } else if (/^\[System\.TeamProject\] = @project$/.test(clause)) {
        if (!scope) {
          return error(
            400,
            'TF51011: The specified project does not exist or @project is not valid here.',
            'WiqlSyntaxException',
          );
        }
        tests.push((w) => w.project === scope);
      } else if (changed) {
        const t = Date.parse(lit(changed[1] ?? "''"));
        if (Number.isNaN(t)) {
          return error(
            400,
            'TF51005: The query references a field that expects a date.',
            'WiqlSyntaxException',
          );
        }
        tests.push((w) => day(w.changed) >= day(t));
      } else if (equals) {
        const v = lit(equals[2] ?? "''").toLowerCase();
        const key = equals[1] === 'State' ? 'state' : 'type';
        tests.push((w) => w[key].toLowerCase() === v);
      } else {
        return error(400, `TF51006: The query statement is malformed near ${clause}.`, 'WiqlSyntaxException');
      }
    }
    return items.filter((w) => !w.deleted && tests.every((t) => t(w))).sort((a, b) => a.id - b.id);
  };

  const page = <T>(all: T[], req: FakeRequest, defaultTop = 100) => {
    const top = Number(req.query.get('$top') ?? defaultTop);
    const start = Number(req.query.get('continuationToken') ?? 0);
    const slice = all.slice(start, start + top);
    const headers: Record<string, string> =
      start + top < all.length ? { 'x-ms-continuationtoken': String(start + top) } : {};
    return { slice, headers };
  };
  const listReply = (value: unknown[], headers: Record<string, string> = {}) =>
    reply(200, { count: value.length, value }, headers);

  const handler = (req: FakeRequest): FakeReply => {
    const failed = takeFailure();
    if (failed) return failed;
    const parts = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0]?.toLowerCase() !== organization) {
      return error(
        404,
        `TF400813: The organization ${parts[0] ?? ''} does not exist.`,
        'AccountNotFoundException',
      );
    }
    const auth = authOf(req);
    if (auth !== 'ok') return auth;
    if (!req.query.get('api-version')) {
      return error(
        400,
        `No api-version was supplied for the "${req.method}" request. The version must be supplied either as part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter (e.g. "?api-version=1.0").`,
        'VssVersionNotSpecifiedException',
      );
    }
    // /{org}[/{project}]/_apis/…
    const apis = parts.indexOf('_apis');
    if (apis < 1 || apis > 2) return error(404, 'The resource cannot be found.', 'NotFoundException');
    let project: Project | undefined;
    if (apis === 2) {
      project = projectByName(parts[1] ?? '') ?? projects.find((p) => p.id === parts[1]);
      if (!project)
        return error(
          404,
          `TF200016: The following project does not exist: ${parts[1]}.`,
          'ProjectDoesNotExistWithNameException',
        );
    }
    const rest = parts.slice(apis + 1);
    const route = `${req.method} ${rest.map((s, i) => (i > 0 && /^\d+$|^[0-9a-f-]{36}$/.test(s) ? ':id' : s)).join('/')}`;

    if (route === 'GET connectionData' && !project) {
      return reply(200, {
        authenticatedUser: {
          id: user.id,
          descriptor: `aad.${user.id}`,
          providerDisplayName: user.name,
          isActive: true,
          properties: { Account: { $type: 'System.String', $value: user.email } },
        },
        authorizedUser: { id: user.id, providerDisplayName: user.name },
        instanceId: organizationId,
        deploymentId: randomUUID(),
        deploymentType: 'hosted',
        locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7' },
      });
    }
    if (route === 'GET projects' && !project) {
      const { slice, headers } = page(projects, req);
      return listReply(slice.map(projectRef), headers);
    }
    if (route === 'GET git/repositories') {
      return listReply(repos.filter((r) => !project || r.project === project).map(repoJson));
    }
    const prList = (list: PullRequest[]) => {
      const status = req.query.get('searchCriteria.status') ?? 'active';
      const top = Number(req.query.get('$top') ?? 101);
      const skip = Number(req.query.get('$skip') ?? 0);
      const kept = list
        .filter((p) => status === 'all' || p.status === status)
        .sort((a, b) => b.created - a.created);
      return listReply(kept.slice(skip, skip + top).map(prJson));
    };
    if (route === 'GET git/pullrequests' && project)
      return prList(prs.filter((p) => p.repo.project === project));
    if (project && rest[0] === 'git' && rest[1] === 'repositories' && rest[2]) {
      const repo = repoOf(project, rest[2]);
      if (!repo) {
        return error(
          404,
          `TF401019: The Git repository with name or identifier ${rest[2]} does not exist or you do not have permissions for the operation you are attempting.`,
          'GitRepositoryNotFoundException',
        );
      }
      if (req.method === 'GET' && rest[3] === 'pullrequests' && rest.length === 4)
        return prList(prs.filter((p) => p.repo === repo));
      if (req.method === 'POST' && rest[3]?.toLowerCase() === 'pullrequests' && rest[5] === 'threads') {
        const pr = prs.find((p) => p.repo === repo && p.id === Number(rest[4]));
        if (!pr)
          return error(
            404,
            `TF401180: The requested pull request was not found.`,
            'GitPullRequestNotFoundException',
          );
        const body = json(req) as
          | { comments?: { content?: string; parentCommentId?: number; commentType?: number }[] }
          | undefined;
        const content = body?.comments?.[0]?.content;
        if (!content)
          return error(400, 'The thread must contain at least one comment.', 'InvalidArgumentValueException');
        const list = threads.get(pr.id) ?? [];
        const id = list.length + 1;
        list.push({ id, content });
        threads.set(pr.id, list);
        tick();
        return reply(200, {
          id,
          publishedDate: iso7(clock),
          lastUpdatedDate: iso7(clock),
          comments: [
            {
              id: 1,
              parentCommentId: 0,
              author: identity(user.name),
              content,
              publishedDate: iso7(clock),
              commentType: 'text',
            },
          ],
          status: 'active',
          properties: {},
        });
      }
    }
    if (route === 'GET build/builds' && project) {
      const order = req.query.get('queryOrder') ?? 'queueTimeDescending';
      const min = req.query.get('minTime');
      let kept = builds.filter((b) => b.project === project);
      if (min) {
        const t = Date.parse(min);
        const at = (b: Build) =>
          order.startsWith('finishTime') ? b.finished : order.startsWith('startTime') ? b.started : b.queued;
        kept = kept.filter((b) => (at(b) ?? -1) >= t);
      }
      const key = (b: Build) => (order.startsWith('finishTime') ? (b.finished ?? 0) : b.queued);
      kept.sort((a, b) => (order.endsWith('Ascending') ? key(a) - key(b) : key(b) - key(a)) || a.id - b.id);
      const { slice, headers } = page(kept, req, 1000);
      return listReply(slice.map(buildJson), headers);
    }
    if (route === 'POST wit/wiql') {
      const body = json(req) as { query?: unknown } | undefined;
      if (typeof body?.query !== 'string')
        return error(400, 'The query is required.', 'ArgumentNullException');
      const found = wiql(body.query, project, req.query.get('timePrecision') === 'true');
      if (!Array.isArray(found)) return found;
      const top = Number(req.query.get('$top') ?? 20_000);
      return reply(200, {
        queryType: 'flat',
        queryResultType: 'workItem',
        asOf: iso7(clock),
        columns: [{ referenceName: 'System.Id', name: 'ID', url: `${orgUrl()}/_apis/wit/fields/System.Id` }],
        sortColumns: [{ field: { referenceName: 'System.Id', name: 'ID' }, descending: false }],
        workItems: found.slice(0, top).map((w) => ({ id: w.id, url: workItemJson(w).url })),
      });
    }
    if (route === 'POST wit/workitemsbatch' && !project) {
      const body = json(req) as { ids?: number[]; fields?: string[]; errorPolicy?: string } | undefined;
      const ids = body?.ids ?? [];
      if (ids.length === 0 || ids.length > 200) {
        return error(
          400,
          'VS403474: The number of work items requested must be between 1 and 200.',
          'InvalidArgumentValueException',
        );
      }
      const found = ids.map((id) => items.find((w) => w.id === id && !w.deleted));
      if (body?.errorPolicy !== 'omit' && found.some((w) => !w)) {
        return error(
          404,
          `TF401232: Work item ${ids[found.indexOf(undefined)]} does not exist, or you do not have permissions to read it.`,
          'WorkItemUnauthorizedAccessException',
        );
      }
      return listReply(found.map((w) => (w ? workItemJson(w, body?.fields) : null)));
    }
    if (
      req.method === 'GET' &&
      project &&
      rest[0] === 'wit' &&
      rest[1] === 'workitemtypes' &&
      rest[3] === 'states'
    ) {
      const states = STATES[rest[2] ?? ''];
      if (!states)
        return error(
          404,
          `VS402323: Work item type ${rest[2]} does not exist.`,
          'WorkItemTypeNotFoundException',
        );
      return listReply(states.map(([name, category]) => ({ name, color: '007acc', category })));
    }
    const patch = (): { refused: FakeReply } | { fields: Record<string, unknown> } => {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json-patch+json')) {
        return {
          refused: error(
            415,
            'VS402898: The request content type must be application/json-patch+json.',
            'VssRequestContentTypeNotSupportedException',
          ),
        };
      }
      const ops = json(req);
      if (!Array.isArray(ops))
        return {
          refused: error(
            400,
            'You must pass a valid patch document in the body of the request.',
            'VssPropertyValidationException',
          ),
        };
      const fields: Record<string, unknown> = {};
      for (const op of ops as { op?: string; path?: string; value?: unknown }[]) {
        if (op.op !== 'add' || !op.path?.startsWith('/fields/'))
          return {
            refused: error(
              400,
              `Unsupported patch operation ${op.op} ${op.path}.`,
              'VssPropertyValidationException',
            ),
          };
        fields[op.path.slice('/fields/'.length)] = op.value;
      }
      return { fields };
    };
    if (
      req.method === 'POST' &&
      project &&
      rest[0] === 'wit' &&
      rest[1] === 'workitems' &&
      rest[2]?.startsWith('$')
    ) {
      const type = rest[2].slice(1);
      if (!STATES[type])
        return error(
          404,
          `VS402323: Work item type ${type} does not exist in project ${project.name} or you do not have permission to access it.`,
          'WorkItemTypeNotFoundException',
        );
      const patched = patch();
      if ('refused' in patched) return patched.refused;
      const { fields } = patched;
      if (typeof fields['System.Title'] !== 'string' || fields['System.Title'] === '') {
        return error(
          400,
          'TF401320: Rule Error for field Title. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidEmpty.',
          'RuleValidationException',
        );
      }
      const w = addItem(project, {
        type,
        title: fields['System.Title'],
        description: typeof fields['System.Description'] === 'string' ? fields['System.Description'] : '',
        assignedTo: typeof fields['System.AssignedTo'] === 'string' ? fields['System.AssignedTo'] : undefined,
        tags:
          typeof fields['System.Tags'] === 'string'
            ? fields['System.Tags']
                .split(';')
                .map((t) => t.trim())
                .filter(Boolean)
            : [],
      });
      publish('workitem.created', 'tfs', project, workItemJson(w));
      return reply(200, workItemJson(w));
    }
    if (req.method === 'PATCH' && !project && rest[0] === 'wit' && rest[1] === 'workitems' && rest[2]) {
      const w = items.find((x) => x.id === Number(rest[2]) && !x.deleted);
      if (!w)
        return error(
          404,
          `TF401232: Work item ${rest[2]} does not exist, or you do not have permissions to read it.`,
          'WorkItemUnauthorizedAccessException',
        );
      const patched = patch();
      if ('refused' in patched) return patched.refused;
      const state = patched.fields['System.State'];
      if (typeof state === 'string') {
        const allowed = (STATES[w.type] ?? []).map(([n]) => n);
        if (!allowed.includes(state)) {
          return error(
            400,
            `TF401320: Rule Error for field State. Error code: Required, HasValues, LimitedToValues, AllowsOldValue, InvalidListValue. The value '${state}' is not in the list of supported values.`,
            'RuleValidationException',
          );
        }
      }
      change(w, { ...(typeof state === 'string' ? { state } : {}) });
      return reply(200, workItemJson(w));
    }
    return error(
      404,
      `The controller for path '${req.path}' was not found or does not implement IController.`,
      'NotFoundException',
    );
  };

  const addItem = (project: Project, f: Partial<WorkItem>): WorkItem => {
    tick();
    const w: WorkItem = {
      id: nextId++,
      rev: 1,
      project,
      type: f.type ?? 'Task',
      title: f.title ?? 'Work',
      description: f.description ?? '',
      state: f.state ?? 'New',
      assignedTo: f.assignedTo,
      tags: f.tags ?? [],
      created: clock,
      changed: clock,
      deleted: false,
    };
    items.push(w);
    return w;
  };

  /** A revision: the update and the work item after it, as workitem.updated carries them. */
  const change = (w: WorkItem, f: Partial<Pick<WorkItem, 'title' | 'state'>>) => {
    const before = fieldsOf(w);
    Object.assign(w, f);
    w.rev += 1;
    w.changed = tick();
    const after = fieldsOf(w);
    const changed = Object.fromEntries(
      Object.keys(after)
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
        .map((k) => [k, { oldValue: before[k], newValue: after[k] }]),
    );
    publish('workitem.updated', 'tfs', w.project, {
      id: w.rev,
      workItemId: w.id,
      rev: w.rev,
      fields: changed,
      revision: workItemJson(w),
      url: `${orgUrl()}/_apis/wit/workItems/${w.id}/updates/${w.rev}`,
    });
  };

  const server = await startFakeServer(
    handler,
    error(503, 'TF400898: An Internal Error Occurred.', 'ServiceUnavailableException'),
  );
  base = server.url;
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`fake: no ${what}`);
    return v;
  };

  return {
    ...server,
    ...outbox.controls,
    apiBaseUrl: base,
    organization,
    organizationId,
    valid: registerSecrets({ type: 'basic', username: 'jane@acme.example', password: pat }),
    oauth: registerSecrets({ type: 'oauth2', access_token: bearer }),
    account: { id: user.id, name: user.name },
    addProject: (name, opts = {}) => {
      const p: Project = {
        id: randomUUID(),
        name,
        description: `The ${name} project`,
        updated: tick(),
        visibility: opts.visibility ?? 'private',
      };
      projects.push(p);
      return p;
    },
    addRepo: (projectName, name) => {
      const project = need(projectByName(projectName), projectName);
      const r: Repo = { id: randomUUID(), name, project, defaultBranch: 'refs/heads/main', disabled: false };
      repos.push(r);
      return r;
    },
    seedPullRequests: (projectName, repoName, n, opts = {}) => {
      const repo = need(repoOf(need(projectByName(projectName), projectName), repoName), repoName);
      return Array.from({ length: n }, (_, i) => {
        const status = opts.status ?? 'active';
        const created = tick();
        const p: PullRequest = {
          id: nextId++,
          repo,
          title: `Change ${i + 1} of ${repoName}`,
          status,
          isDraft: opts.isDraft ?? false,
          created,
          closed: status === 'active' ? undefined : tick(),
          reviewers: ['Sam Reviewer'],
          labels: i % 2 === 0 ? ['backend'] : [],
        };
        prs.push(p);
        return p.id;
      });
    },
    seedBuilds: (projectName, repoName, n, opts = {}) => {
      const project = need(projectByName(projectName), projectName);
      const repo = repoOf(project, repoName);
      return Array.from({ length: n }, () => {
        const status = opts.status ?? 'completed';
        const queued = tick();
        const b: Build = {
          id: nextId++,
          project,
          definition: `${repoName}-ci`,
          repo,
          status,
          result: status === 'completed' ? (opts.result ?? 'succeeded') : undefined,
          queued,
          started: status === 'notStarted' ? undefined : tick(),
          finished: status === 'completed' ? tick() : undefined,
        };
        builds.push(b);
        return b.id;
      });
    },
    seedWorkItems: (projectName, n, opts = {}) => {
      const project = need(projectByName(projectName), projectName);
      return Array.from(
        { length: n },
        (_, i) =>
          addItem(project, {
            type: opts.type ?? 'Task',
            state: opts.state ?? 'New',
            title: `${projectName} item ${i + 1}`,
            description: `<div>Do <b>thing</b> ${i + 1}</div>`,
            assignedTo: i % 3 === 0 ? 'Jane Doe' : undefined,
            tags: i % 2 === 0 ? ['backend', 'p1'] : [],
          }).id,
      );
    },
    workItem: (id) => items.find((w) => w.id === id),
    pullRequest: (id) => prs.find((p) => p.id === id),
    threads: (id) => threads.get(id) ?? [],
    updateWorkItem: (id, f) =>
      change(
        need(
          items.find((w) => w.id === id),
          `work item ${id}`,
        ),
        f,
      ),
    deleteWorkItem: (id) => {
      const w = need(
        items.find((x) => x.id === id),
        `work item ${id}`,
      );
      w.deleted = true;
      tick();
      publish('workitem.deleted', 'tfs', w.project, {
        id: w.id,
        rev: w.rev,
        fields: fieldsOf(w),
        url: `${orgUrl()}/_apis/wit/recyclebin/${w.id}`,
      });
    },
    updatePullRequest: (id, f) => {
      const p = need(
        prs.find((x) => x.id === id),
        `pull request ${id}`,
      );
      Object.assign(p, f);
      if (f.status && f.status !== 'active') p.closed = tick();
      publish(
        f.status === 'completed' ? 'git.pullrequest.merged' : 'git.pullrequest.updated',
        'tfs',
        p.repo.project,
        prJson(p),
      );
    },
    completeBuild: (id, result) => {
      const b = need(
        builds.find((x) => x.id === id),
        `build ${id}`,
      );
      b.status = 'completed';
      b.result = result;
      b.started ??= tick();
      b.finished = tick();
      publish('build.complete', 'tfs', b.project, buildJson(b));
    },
    registerWebhook: (url, auth) => {
      subscriptions.push({
        url,
        ...(auth.username !== undefined ? { username: auth.username } : {}),
        ...(auth.password !== undefined ? { password: auth.password } : {}),
        headers: Object.fromEntries(Object.entries(auth.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      });
    },
    failNext: (kind, secs = 30) => {
      failures.push({ kind, secs });
    },
  };
};
