import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import type { Credentials, SyncContext } from '../types';

/**
 * One GraphQL request to Linear, and what its failures mean: the transport every Linear sync,
 * action and the credentials check share.
 * https://linear.app/developers/graphql
 */

/** Where and as whom: a sync's, an action's and a verification's context all have these. */
export type LinearCall = Pick<SyncContext, 'credentials' | 'baseUrl' | 'http'>;

/**
 * Personal API keys go bare; OAuth access tokens as Bearer.
 * https://linear.app/developers/graphql#authentication
 */
export const authorization = (c: Credentials): string => {
  if (c.type === 'api_key') return c.api_key;
  if (c.type === 'oauth2') return `Bearer ${c.access_token}`;
  throw new ProviderError('rejected', `Linear does not accept ${c.type} credentials.`);
};

const graphqlError = z.object({
  message: z.string(),
  extensions: z.optional(
    z.object({ code: z.optional(z.string()), userPresentableMessage: z.optional(z.string()) }),
  ),
});
type GraphqlError = z.infer<typeof graphqlError>;

const envelope = z.object({
  data: z.optional(z.nullable(z.unknown())),
  errors: z.optional(z.array(graphqlError)),
});

/**
 * Linear answers its rate limit as HTTP 400 with a RATELIMITED GraphQL error and the end of
 * the window in X-RateLimit-Requests-Reset (epoch milliseconds), or the complexity window's;
 * the later of the two is when a retry can pass. Any other GraphQL error (INVALID_INPUT,
 * FORBIDDEN, AUTHENTICATION_ERROR…, on HTTP 200, 400 or 401) is a refusal, in the words Linear
 * means for people (`userPresentableMessage`) when it gives them.
 * https://linear.app/developers/rate-limiting
 */
export const failure = (res: HttpResponse, errors: GraphqlError[]): ProviderError => {
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

/**
 * Posts `query` with `variables` and returns `data` parsed with `schema`. An answer that is
 * not 200, or without data, is a failure as above; data that does not parse is `unreachable`
 * (unless errors explain it: a field Linear refused). Data beside errors that still parses is
 * used — GraphQL answers what it could.
 * https://linear.app/developers/graphql#queries-and-mutations
 */
export const linearGraphql = async <S extends z.ZodMiniType>(
  ctx: LinearCall,
  call: string,
  request: { query: string; variables?: Record<string, unknown> },
  schema: S,
): Promise<z.infer<S>> => {
  const res = await ctx.http(ctx.baseUrl, {
    method: 'POST',
    headers: { authorization: authorization(ctx.credentials) },
    body: request,
  });
  const parsed = envelope.safeParse(res.jsonOrUndefined());
  if (!parsed.success) {
    if (res.status !== 200) {
      throw new ProviderError('rejected', `Linear answered ${res.status}.`, { status: res.status });
    }
    throw new ProviderError('unreachable', `Linear answered ${call} with an unexpected body.`, {
      status: res.status,
    });
  }
  const errors = parsed.data.errors ?? [];
  const data = parsed.data.data;
  if (res.status !== 200 || ((data === null || data === undefined) && errors.length > 0)) {
    throw failure(res, errors);
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    if (errors.length > 0) throw failure(res, errors);
    throw new ProviderError('unreachable', `Linear answered ${call} with an unexpected body.`, {
      status: res.status,
    });
  }
  return r.data;
};

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.optional(z.nullable(z.string())) });

/** A Relay connection of `node`s, as Linear pages every list. https://linear.app/developers/pagination */
export const connection = <N extends z.ZodMiniType>(node: N) => z.object({ nodes: z.array(node), pageInfo });

/** The cursor of the page after this one, when there is one. */
const nextCursor = (info: z.infer<typeof pageInfo>): string | null =>
  info.hasNextPage && info.endCursor ? info.endCursor : null;

/** A top-level list: its field, the type of its filter, and the fields of its nodes. */
export type LinearList<S extends z.ZodMiniType> = {
  field: 'issues' | 'projects' | 'cycles';
  filterType: string;
  fields: string;
  node: S;
};

/**
 * One page of a list, in creation order (Linear's default, which edits do not reorder).
 * https://linear.app/developers/pagination
 */
export const fetchList = async <S extends z.ZodMiniType>(
  ctx: LinearCall,
  list: LinearList<S>,
  page: { first: number; after: string | null; filter?: Record<string, unknown>; includeArchived?: boolean },
): Promise<{ nodes: z.infer<S>[]; next: string | null }> => {
  const query = `query List${list.field}($first: Int!, $after: String, $filter: ${list.filterType}, $orderBy: PaginationOrderBy, $includeArchived: Boolean) {
  ${list.field}(first: $first, after: $after, filter: $filter, orderBy: $orderBy, includeArchived: $includeArchived) {
    nodes {
      ${list.fields}
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
  const variables = {
    first: page.first,
    after: page.after,
    orderBy: 'createdAt',
    ...(page.includeArchived ? { includeArchived: true } : {}),
    ...(page.filter ? { filter: page.filter } : {}),
  };
  const answer = z.object({ [list.field]: connection(list.node) });
  const data = await linearGraphql(ctx, `the ${list.field} query`, { query, variables }, answer);
  const { nodes, pageInfo } = data[list.field] as z.infer<ReturnType<typeof connection<S>>>;
  return { nodes, next: nextCursor(pageInfo) };
};
