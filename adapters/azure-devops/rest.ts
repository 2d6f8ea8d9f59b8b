import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { ActionContext, Credentials } from '../types';

/**
 * What every Azure DevOps call shares — Azure DevOps and Azure Boards are two providers over
 * one organization API, and Boards imports this module: the credentials as a header, the
 * organization URL (`{base}/{organization}`, the base being https://dev.azure.com or an
 * Azure DevOps Server collection host), `api-version` on every call, continuation tokens, and
 * Azure DevOps' error body as one message. 5xx and 429 (Retry-After, X-RateLimit-*) are the
 * shared http client's.
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/?view=azure-devops-rest-7.1
 */

/** Pinned: a call without `api-version` is refused (400), and a preview one may change shape. */
export const API_VERSION = '7.1';

/**
 * A personal access token goes as HTTP basic with an empty user name ("any string" works, so
 * the connection's `username` is never sent); an Entra access token as a bearer.
 * https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate#use-a-pat-in-your-code
 * https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth
 */
export const authorization = (credentials: Credentials): string => {
  if (credentials.type === 'basic')
    return `Basic ${Buffer.from(`:${credentials.password}`).toString('base64')}`;
  if (credentials.type === 'oauth2') return `Bearer ${credentials.access_token}`;
  throw new ProviderError('rejected', `Azure DevOps does not accept ${credentials.type} credentials.`);
};

// https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/rename-organization
export const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;

/** The organization from the connection's config (or what verification stored). */
export const organizationOf = (
  ctx: Pick<ActionContext, 'config'> & { metadata?: Record<string, string> },
) => {
  const org =
    typeof ctx.config.organization === 'string' && ctx.config.organization !== ''
      ? ctx.config.organization
      : ctx.metadata?.organization;
  if (!org || !ORGANIZATION.test(org)) {
    throw new ProviderError(
      'rejected',
      'Azure DevOps needs config.organization: the name in https://dev.azure.com/{organization}.',
    );
  }
  return org;
};

/** `https://dev.azure.com/{organization}` (or the override's host with the organization). */
export const organizationUrl = (
  ctx: Pick<ActionContext, 'config' | 'baseUrl'> & { metadata?: Record<string, string> },
) => `${ctx.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(organizationOf(ctx))}`;

/** `config.projects`: the project names a connection is narrowed to (none: every project). */
export const configuredProjects = (ctx: Pick<ActionContext, 'config'>): string[] =>
  Array.isArray(ctx.config.projects)
    ? ctx.config.projects.filter((p): p is string => typeof p === 'string' && p !== '')
    : [];

/** Whether a project (by name) is inside the connection's narrowing. */
export const inProjects = (config: Record<string, unknown>, project: string | undefined): boolean => {
  const only = configuredProjects({ config });
  return (
    only.length === 0 ||
    (project !== undefined && only.some((p) => p.toLowerCase() === project.toLowerCase()))
  );
};

// {"$id":"1","innerException":null,"message":"TF401019: …","typeName":"…","typeKey":"GitRepositoryNotFoundException","errorCode":0,"eventId":3000}
const errorBody = z.object({
  message: z.string(),
  typeKey: z.optional(z.nullable(z.string())),
});

/**
 * Azure DevOps' refusal in its own words. A PAT it does not accept is answered either 401 or
 * 203 with the HTML of its sign-in page (the request was sent to the login flow rather than
 * refused); the reason of a 401 is in `X-TFS-ServiceError` when there is no JSON body.
 * https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/rest/basics#response-status-codes
 */
export const failure = (res: HttpResponse): ProviderError => {
  if (res.status === 203) {
    return new ProviderError(
      'rejected',
      'Azure DevOps did not accept the credentials: it answered with its sign-in page (a personal access token that is wrong, expired, revoked or not valid for this organization).',
      { status: 203 },
    );
  }
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  const header = res.headers.get('x-tfs-serviceerror');
  let fromHeader: string | undefined;
  if (header) {
    try {
      fromHeader = decodeURIComponent(header);
    } catch {
      fromHeader = header;
    }
  }
  const message =
    body?.message ??
    fromHeader ??
    (res.status === 401
      ? 'Azure DevOps did not accept the credentials (401).'
      : `Azure DevOps answered ${res.status}.`);
  return new ProviderError('rejected', message, {
    status: res.status,
    ...(body?.typeKey ? { code: body.typeKey } : {}),
  });
};

export type CallOptions = {
  method?: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** Of a body; default application/json. */
  contentType?: string;
  /** The success status; default 200. */
  ok?: number;
};

/** One call under the organization URL (`path` starts with `/`), `api-version` added. */
export const call = async (
  ctx: Pick<ActionContext, 'config' | 'baseUrl' | 'http' | 'credentials'> & {
    metadata?: Record<string, string>;
  },
  path: string,
  o: CallOptions = {},
): Promise<HttpResponse> => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) q.set(k, v);
  q.set('api-version', API_VERSION);
  const res = await ctx.http(`${organizationUrl(ctx)}${path}?${q}`, {
    method: o.method ?? 'GET',
    headers: {
      authorization: authorization(ctx.credentials),
      // JSON, or JSON Patch (`application/json-patch+json`) for work item writes.
      ...(o.body !== undefined ? { 'content-type': o.contentType ?? 'application/json' } : {}),
    },
    ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
  });
  if (res.status !== (o.ok ?? 200)) throw failure(res);
  return res;
};

/** A list answer: `{ count, value }`. */
export const list = <S extends z.ZodMiniType>(item: S) =>
  z.object({ count: z.number(), value: z.array(item) });

/** The next page's token, from the `x-ms-continuationtoken` header; absent on the last page. */
export const continuationOf = (res: HttpResponse): string | undefined => {
  const t = res.headers.get('x-ms-continuationtoken');
  return t ? t : undefined;
};

/** A path segment: project and repository names may hold spaces. */
export const seg = (s: string): string => encodeURIComponent(s);

/** ISO instants as `toISOString` writes them; Azure DevOps writes 7 fractional digits at times. */
export const isoOf = (value: string, what: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Azure DevOps answered an invalid ${what}.`);
  return new Date(t).toISOString();
};

/** Like isoOf, but null for absent dates and for .NET's `0001-01-01T00:00:00` "no date". */
export const isoOrNull = (value: string | null | undefined, what: string): string | null => {
  if (!value || value.startsWith('0001-01-01')) return null;
  return isoOf(value, what);
};

// https://learn.microsoft.com/en-us/rest/api/azure/devops/core/projects/list?view=azure-devops-rest-7.1
export const teamProject = z.object({
  id: z.string(),
  name: z.string(),
  description: z.optional(z.nullable(z.string())),
  url: z.optional(z.string()),
  state: z.optional(z.string()),
  visibility: z.optional(z.string()),
  lastUpdateTime: z.optional(z.nullable(z.string())),
});
export type TeamProject = z.infer<typeof teamProject>;

const projectList = list(teamProject);

/**
 * One page of the organization's projects (`$top`, then the `x-ms-continuationtoken` the
 * answer carries as `continuationToken`).
 * https://learn.microsoft.com/en-us/rest/api/azure/devops/core/projects/list?view=azure-devops-rest-7.1
 */
export const listProjects = async (
  ctx: Parameters<typeof call>[0],
  o: { top: number; continuationToken?: string | undefined },
): Promise<{ projects: TeamProject[]; next?: string }> => {
  const res = await call(ctx, '/_apis/projects', {
    query: { $top: String(o.top), continuationToken: o.continuationToken, stateFilter: 'wellFormed' },
  });
  const page = parseAnswer('Azure DevOps', projectList, res, 'GET /_apis/projects');
  const next = continuationOf(res);
  return next === undefined ? { projects: page.value } : { projects: page.value, next };
};

/**
 * The project names a sync walks: config.projects, else every project of the organization
 * (walked page by page at the start of a run; a few hundred at most in any organization).
 */
export const projectNames = async (ctx: Parameters<typeof call>[0]): Promise<string[]> => {
  const only = configuredProjects(ctx);
  if (only.length > 0) return only;
  const names: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await listProjects(ctx, { top: 100, continuationToken: token });
    names.push(...page.projects.map((p) => p.name));
    token = page.next;
    if (token === undefined) break;
  }
  return names;
};
