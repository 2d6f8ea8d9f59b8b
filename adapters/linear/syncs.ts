import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { workItem } from '../models';
import type { SyncContext, SyncFunctions, SyncPage, SyncRecord } from '../types';

/**
 * Linear's issues sync: one `issues` connection page per `fetchPage`, Relay cursors
 * (`pageInfo.endCursor` is the checkpoint).
 * https://linear.app/developers/pagination
 * https://linear.app/developers/filtering
 *
 * - Ordered by `createdAt`, which edits during the run do not change (Linear's default too).
 * - `includeArchived: true`: issues Linear archives on its own (done for months) are still
 *   work items; deleted ones sit archived in the trash (`trashed: true`) for 30 days, and
 *   come back as `deletedIds`, so an incremental run sees deletions as well.
 * - `config.teams` narrows by team key (`ENG`).
 */
const QUERY = `query SyncIssues($first: Int!, $after: String, $filter: IssueFilter, $orderBy: PaginationOrderBy, $includeArchived: Boolean) {
  issues(first: $first, after: $after, filter: $filter, orderBy: $orderBy, includeArchived: $includeArchived) {
    nodes {
      id identifier title description url dueDate createdAt updatedAt archivedAt trashed
      state { name type }
      assignee { name }
      labels { nodes { name } }
      team { key }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const node = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  description: z.optional(z.nullable(z.string())),
  url: z.string(),
  dueDate: z.optional(z.nullable(z.string())),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.optional(z.nullable(z.string())),
  trashed: z.optional(z.nullable(z.boolean())),
  state: z.object({ name: z.string(), type: z.string() }),
  assignee: z.optional(z.nullable(z.object({ name: z.string() }))),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() })) }),
  team: z.object({ key: z.string() }),
});
type Node = z.infer<typeof node>;

const graphqlError = z.object({
  message: z.string(),
  extensions: z.optional(
    z.object({ code: z.optional(z.string()), userPresentableMessage: z.optional(z.string()) }),
  ),
});

const answer = z.object({
  data: z.optional(
    z.nullable(
      z.object({
        issues: z.object({
          nodes: z.array(node),
          pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.optional(z.nullable(z.string())) }),
        }),
      }),
    ),
  ),
  errors: z.optional(z.array(graphqlError)),
});

const checkpoint = z.object({ after: z.string() });

/**
 * Linear answers its rate limit as HTTP 400 with a RATELIMITED GraphQL error and the end of
 * the window in X-RateLimit-Requests-Reset (epoch milliseconds), or the complexity window's.
 * https://linear.app/developers/rate-limiting
 */
const failure = (res: HttpResponse, errors: z.infer<typeof graphqlError>[]): ProviderError => {
  if (errors.some((e) => e.extensions?.code === 'RATELIMITED')) {
    const resets = ['x-ratelimit-requests-reset', 'x-ratelimit-complexity-reset']
      .map((h) => Number(res.headers.get(h) ?? Number.NaN))
      .filter(Number.isFinite);
    const reset = resets.length > 0 ? Math.max(...resets) : undefined;
    return new ProviderError('rate_limited', errors[0]?.message ?? 'Rate limit exceeded', {
      status: res.status,
      ...(reset !== undefined
        ? { retryAfterSeconds: Math.max(0, Math.ceil((reset - Date.now()) / 1000)) }
        : {}),
    });
  }
  const first = errors[0];
  const message =
    first?.extensions?.userPresentableMessage ?? first?.message ?? `Linear answered ${res.status}.`;
  return new ProviderError('rejected', message, { status: res.status });
};

const authorization = (ctx: SyncContext): string => {
  const c = ctx.credentials;
  // Personal API keys go bare; OAuth access tokens as Bearer.
  // https://linear.app/developers/graphql#authentication
  if (c.type === 'api_key') return c.api_key;
  if (c.type === 'oauth2') return `Bearer ${c.access_token}`;
  throw new ProviderError('rejected', `Linear does not accept ${c.type} credentials.`);
};

const STATUS: Record<string, z.infer<typeof workItem>['status']> = {
  triage: 'open',
  backlog: 'open',
  unstarted: 'open',
  started: 'in_progress',
  completed: 'done',
  canceled: 'cancelled',
};

const isoOf = (value: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Linear answered an invalid date: ${value}.`);
  return new Date(t).toISOString();
};

const mapIssue = (n: Node): SyncRecord => {
  const data = {
    title: n.title,
    description: n.description ?? null,
    status: STATUS[n.state.type] ?? 'open',
    raw_status: n.state.name,
    assignees: n.assignee ? [n.assignee.name] : [],
    labels: n.labels.nodes.map((l) => l.name),
    url: n.url,
    project: n.team.key,
    due_date: n.dueDate ?? null,
    created_at: isoOf(n.createdAt),
    updated_at: isoOf(n.updatedAt),
  };
  const r = workItem.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Linear answered ${n.identifier} with data that does not map to a work item.`,
    );
  }
  return { id: `linear_issue_${n.id}`, data: r.data };
};

const filterOf = (ctx: SyncContext): Record<string, unknown> | undefined => {
  const filter: Record<string, unknown> = {};
  if (ctx.mode === 'incremental' && ctx.since !== undefined) {
    const t = Date.parse(ctx.since);
    if (Number.isNaN(t)) throw new Error(`since is not an ISO instant: ${ctx.since}`);
    filter.updatedAt = { gte: new Date(t).toISOString() };
  }
  const teams = Array.isArray(ctx.config.teams)
    ? ctx.config.teams.filter((t): t is string => typeof t === 'string' && t !== '')
    : [];
  if (teams.length > 0) filter.team = { key: { in: teams } };
  return Object.keys(filter).length > 0 ? filter : undefined;
};

const fetchIssuesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const stored = checkpoint.safeParse(ctx.checkpoint);
  const filter = filterOf(ctx);
  const variables = {
    first: 100,
    after: stored.success ? stored.data.after : null,
    orderBy: 'createdAt',
    includeArchived: true,
    ...(filter ? { filter } : {}),
  };
  // https://linear.app/developers/graphql#queries-and-mutations
  const res = await ctx.http(ctx.baseUrl, {
    method: 'POST',
    headers: { authorization: authorization(ctx) },
    body: { query: QUERY, variables },
  });
  const parsed = answer.safeParse(res.jsonOrUndefined());
  if (!parsed.success) {
    if (res.status !== 200) {
      throw new ProviderError('rejected', `Linear answered ${res.status}.`, { status: res.status });
    }
    throw new ProviderError('unreachable', 'Linear answered the issues query with an unexpected body.', {
      status: res.status,
    });
  }
  const { data, errors } = parsed.data;
  if (!data || res.status !== 200) throw failure(res, errors ?? []);
  const { nodes, pageInfo } = data.issues;
  const records: SyncRecord[] = [];
  const deletedIds: string[] = [];
  for (const n of nodes) {
    if (n.trashed) deletedIds.push(`linear_issue_${n.id}`);
    else records.push(mapIssue(n));
  }
  const page: SyncPage = { records, ...(deletedIds.length > 0 ? { deletedIds } : {}) };
  return pageInfo.hasNextPage && pageInfo.endCursor ? { ...page, next: { after: pageInfo.endCursor } } : page;
};

export const syncs: SyncFunctions = { issues: { fetchPage: fetchIssuesPage } };
