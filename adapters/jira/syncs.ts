import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { workItem } from '../models';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncFunctions, SyncPage, SyncRecord } from '../types';

/**
 * Jira's issues sync, on the enhanced JQL search (`POST /rest/api/3/search/jql`), which pages
 * with an opaque `nextPageToken` bound to its query: the checkpoint keeps the JQL of the
 * first page with the token, so every page of a run (and a resumed one) asks the same query.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 *
 * Three Jira rules shape the JQL:
 * - it refuses unbounded queries ("Unbounded JQL queries are not allowed here"), so a full
 *   run over every project still carries a restriction that matches every issue;
 * - an absolute date in JQL is read in the time zone of the user searching, to the minute, so
 *   `since` is written in that zone (from /myself), floored to the minute (an overlap, never a gap);
 * - results are ordered by creation, which edits during the run do not reorder.
 */

const MAX_RESULTS = 100;
const FIELDS = [
  'summary',
  'description',
  'status',
  'resolution',
  'assignee',
  'labels',
  'duedate',
  'project',
  'created',
  'updated',
];

const jiraIssue = z.object({
  id: z.string(),
  key: z.string(),
  fields: z.object({
    summary: z.optional(z.nullable(z.string())),
    // Atlassian Document Format in v3 (a plain string in v2): flattened below.
    description: z.optional(z.unknown()),
    status: z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }) }),
    resolution: z.optional(z.nullable(z.object({ name: z.string() }))),
    assignee: z.optional(z.nullable(z.object({ displayName: z.optional(z.string()) }))),
    labels: z.optional(z.nullable(z.array(z.string()))),
    duedate: z.optional(z.nullable(z.string())),
    project: z.object({ key: z.string() }),
    created: z.string(),
    updated: z.string(),
  }),
});
type JiraIssue = z.infer<typeof jiraIssue>;

const searchAnswer = z.object({
  issues: z.array(jiraIssue),
  nextPageToken: z.optional(z.nullable(z.string())),
  isLast: z.optional(z.boolean()),
});

const myself = z.object({ timeZone: z.optional(z.string()) });

const errorBody = z.object({
  errorMessages: z.optional(z.array(z.string())),
  errors: z.optional(z.record(z.string(), z.string())),
  message: z.optional(z.string()),
});

const checkpoint = z.object({ jql: z.string(), nextPageToken: z.string() });

/** Jira's reasons from an error body (bad JQL, unknown project, refused credentials). */
const failure = (res: HttpResponse): ProviderError => {
  const body = errorBody.safeParse(res.jsonOrUndefined()).data;
  const messages = [...(body?.errorMessages ?? []), ...Object.values(body?.errors ?? {})].filter(Boolean);
  const message =
    messages.length > 0 ? messages.join(' ') : (body?.message ?? `Jira answered ${res.status}.`);
  return new ProviderError('rejected', message, { status: res.status });
};

const authorization = (ctx: SyncContext): string => {
  const c = ctx.credentials;
  // https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/
  if (c.type === 'basic') return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3-2-make-calls-to-the-api-using-the-access-token
  if (c.type === 'oauth2') return `Bearer ${c.access_token}`;
  throw new ProviderError('rejected', `Jira does not accept ${c.type} credentials.`);
};

/** OAuth calls go through the gateway with the cloud id verification stored. */
const apiBase = (ctx: SyncContext): string => {
  if (!ctx.baseUrl.includes('{cloud_id}')) return ctx.baseUrl;
  const cloudId = ctx.metadata.cloud_id;
  if (!cloudId) {
    throw new ProviderError('rejected', 'This Jira connection has no cloud id: connect it again.');
  }
  return ctx.baseUrl.replace('{cloud_id}', encodeURIComponent(cloudId));
};

/** The site issues are browsed at, for their URLs. */
const siteUrl = (ctx: SyncContext): string | undefined => {
  const site = ctx.metadata.site ?? (typeof ctx.config.site === 'string' ? ctx.config.site : undefined);
  if (site) return /^https?:\/\//.test(site) ? site.replace(/\/$/, '') : `https://${site}`;
  // Basic auth calls the site itself.
  return ctx.credentials.type === 'basic' ? new URL(ctx.baseUrl).origin : undefined;
};

/** A JQL string literal. https://support.atlassian.com/jira-software-cloud/docs/jql-fields/ */
const literal = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** `yyyy/MM/dd HH:mm` of an instant in a time zone (seconds dropped: floored to the minute). */
const jqlDate = (instant: Date, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}/${part('month')}/${part('day')} ${part('hour')}:${part('minute')}`;
};

/** Jira reads JQL dates in the searching user's zone: ask it, once a run (the first page). */
const sinceClause = async (ctx: SyncContext, base: string, auth: string, since: string): Promise<string> => {
  const instant = new Date(since);
  if (Number.isNaN(instant.getTime())) throw new Error(`since is not an ISO instant: ${since}`);
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
  const res = await ctx.http(`${base}/rest/api/3/myself`, { headers: { authorization: auth } });
  if (res.status !== 200) throw failure(res);
  const zone = parseAnswer('Jira', myself, res, 'GET /rest/api/3/myself').timeZone;
  if (zone) {
    try {
      return `updated >= ${literal(jqlDate(instant, zone))}`;
    } catch {
      // An IANA zone this runtime does not know: fall through to the widest margin.
    }
  }
  // Zone unknown (hidden by the user's privacy settings): UTC minus the largest offset there
  // is (UTC+14), which reads back at or before `since` whatever zone Jira applies.
  return `updated >= ${literal(jqlDate(new Date(instant.getTime() - 14 * 3600_000), 'UTC'))}`;
};

const firstJql = async (ctx: SyncContext, base: string, auth: string): Promise<string> => {
  const clauses: string[] = [];
  const projects = Array.isArray(ctx.config.projects)
    ? ctx.config.projects.filter((p): p is string => typeof p === 'string' && p !== '')
    : [];
  if (projects.length > 0) clauses.push(`project in (${projects.map(literal).join(', ')})`);
  if (ctx.mode === 'incremental' && ctx.since !== undefined) {
    clauses.push(await sinceClause(ctx, base, auth, ctx.since));
  }
  // Every issue was created after 1970: bounds the query without narrowing it.
  if (clauses.length === 0) clauses.push(`created >= ${literal('1970/01/01')}`);
  return `${clauses.join(' AND ')} ORDER BY created ASC, key ASC`;
};

/** Jira writes offsets without a colon (`+0200`); ISO-8601 and our model want `+02:00`. */
const isoOf = (value: string): string => {
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(t)) throw new ProviderError('unreachable', `Jira answered an invalid date: ${value}.`);
  return new Date(t).toISOString();
};

type AdfNode = { type?: unknown; text?: unknown; attrs?: unknown; content?: unknown };
const BLOCKS = new Set(['paragraph', 'heading', 'codeBlock', 'blockquote', 'rule', 'mediaSingle', 'panel']);
const attr = (node: AdfNode, name: string): string | undefined => {
  const attrs = node.attrs;
  if (typeof attrs !== 'object' || attrs === null) return undefined;
  const v = (attrs as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

/** Atlassian Document Format as plain text: text nodes, one line a block. */
const adfText = (node: unknown): string => {
  if (typeof node !== 'object' || node === null) return '';
  const n = node as AdfNode;
  switch (n.type) {
    case 'text':
      return typeof n.text === 'string' ? n.text : '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'status':
      return attr(n, 'text') ?? '';
    case 'emoji':
      return attr(n, 'text') ?? attr(n, 'shortName') ?? '';
    case 'inlineCard':
    case 'blockCard':
      return attr(n, 'url') ?? '';
  }
  const inner = Array.isArray(n.content) ? n.content.map(adfText).join('') : '';
  return typeof n.type === 'string' && BLOCKS.has(n.type) ? `${inner}\n` : inner;
};

/** https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/ */
export const plainText = (description: unknown): string | null => {
  const text =
    typeof description === 'string'
      ? description
      : adfText(description)
          .replace(/[ \t]+\n/g, '\n')
          .replace(/\n{3,}/g, '\n\n');
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
};

const CANCELLED = /^(won['’]?t (do|fix)|cancell?ed|canceled|declined|abandoned)$/i;

const statusOf = (f: JiraIssue['fields']): z.infer<typeof workItem>['status'] => {
  if (f.resolution && CANCELLED.test(f.resolution.name.trim())) return 'cancelled';
  switch (f.status.statusCategory.key) {
    case 'done':
      return CANCELLED.test(f.status.name.trim()) ? 'cancelled' : 'done';
    case 'indeterminate':
      return 'in_progress';
    default:
      // `new`, and `undefined` (no category) for statuses Jira could not classify.
      return 'open';
  }
};

const mapIssue = (i: JiraIssue, site: string | undefined): SyncRecord => {
  const f = i.fields;
  const data = {
    title: f.summary ?? '',
    description: plainText(f.description),
    status: statusOf(f),
    raw_status: f.status.name,
    assignees: f.assignee?.displayName ? [f.assignee.displayName] : [],
    labels: f.labels ?? [],
    url: site ? `${site}/browse/${encodeURIComponent(i.key)}` : null,
    project: f.project.key,
    due_date: f.duedate ?? null,
    created_at: isoOf(f.created),
    updated_at: isoOf(f.updated),
  };
  const r = workItem.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Jira answered ${i.key} with data that does not map to a work item.`,
    );
  }
  return { id: `jira_issue_${i.id}`, data: r.data };
};

const fetchIssuesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const auth = authorization(ctx);
  const base = apiBase(ctx);
  const stored = checkpoint.safeParse(ctx.checkpoint);
  const jql = stored.success ? stored.data.jql : await firstJql(ctx, base, auth);
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
  const res = await ctx.http(`${base}/rest/api/3/search/jql`, {
    method: 'POST',
    headers: { authorization: auth },
    body: {
      jql,
      maxResults: MAX_RESULTS,
      fields: FIELDS,
      ...(stored.success ? { nextPageToken: stored.data.nextPageToken } : {}),
    },
  });
  if (res.status !== 200) throw failure(res);
  const page = parseAnswer('Jira', searchAnswer, res, 'POST /rest/api/3/search/jql');
  const site = siteUrl(ctx);
  const records = page.issues.map((i) => mapIssue(i, site));
  const token = page.nextPageToken;
  return page.isLast === true || !token ? { records } : { records, next: { jql, nextPageToken: token } };
};

export const syncs: SyncFunctions = { issues: { fetchPage: fetchIssuesPage } };
