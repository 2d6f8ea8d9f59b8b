import * as z from 'zod/mini';
import { isProviderError, ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf, SyncRecord } from '../types';
import { adfOf, getIssue, plainText, searchIssues, UNBOUNDED, workItemRecord } from './issues';
import type {
  createIssueInput,
  listIssuesInput,
  listProjectsInput,
  manifest,
  transitionIssueInput,
} from './manifest';
import { fetchProjects, projectsPosition } from './projects';
import { browseUrl, call, configuredProjects, literal, siteUrl } from './rest';

/**
 * Jira's tools: list projects and issues (mapped to the unified models, as the syncs map
 * them), create an issue, move one through its workflow.
 */

const one = (r: SyncRecord) => ({ id: r.id, ...r.data });
const listed = (records: SyncRecord[]) => records.map(one);

// list_projects pages by a position (projects.ts); the cursor is that position, opaque.
const encodeCursor = (position: unknown): string =>
  Buffer.from(JSON.stringify(position)).toString('base64url');
const decodeCursor = (cursor: string) => {
  try {
    const r = projectsPosition.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    if (r.success) return r.data;
  } catch {
    // not ours: refused below
  }
  throw new ProviderError('rejected', 'The cursor is not a next_cursor that list_projects answered.');
};

/** JQL up to its ORDER BY (outside quoted strings), and the ordering. */
const ORDER_BY = /^((?:[^"']|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')*?)\border\s+by\b([\s\S]*)$/i;
const splitOrder = (jql: string): { where: string; order: string | undefined } => {
  const m = ORDER_BY.exec(jql);
  return m
    ? { where: (m[1] ?? '').trim(), order: (m[2] ?? '').trim() || undefined }
    : { where: jql.trim(), order: undefined };
};

/** The filters as one JQL query, newest first unless the caller's JQL orders it. */
const listJql = (ctx: ActionContext, input: z.infer<typeof listIssuesInput>) => {
  const clauses: string[] = [];
  if (input.project_key !== undefined) clauses.push(`project = ${literal(input.project_key)}`);
  else {
    const narrowed = configuredProjects(ctx);
    if (narrowed.length > 0) clauses.push(`project in (${narrowed.map(literal).join(', ')})`);
  }
  if (input.status !== undefined) clauses.push(`status = ${literal(input.status)}`);
  const own = input.jql === undefined ? undefined : splitOrder(input.jql);
  // The caller's JQL may hold an OR: parenthesised, the filters still apply to all of it.
  if (own?.where) clauses.push(clauses.length > 0 ? `(${own.where})` : own.where);
  if (clauses.length === 0) clauses.push(UNBOUNDED);
  return `${clauses.join(' AND ')} ORDER BY ${own?.order ?? 'created DESC, key DESC'}`;
};

const createdAnswer = z.object({ id: z.string(), key: z.string(), self: z.optional(z.string()) });

const transitionsAnswer = z.object({
  transitions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      to: z.optional(z.object({ name: z.string() })),
      isAvailable: z.optional(z.boolean()),
    }),
  ),
});

/** An issue key or Jira id as given, or the id inside one of our record ids. */
const issueIdOrKey = (ref: string): string => ref.replace(/^jira_issue_/, '');

const listProjects = async (ctx: ActionContext, input: z.infer<typeof listProjectsInput>) => {
  const page = await fetchProjects(ctx, input.cursor === undefined ? undefined : decodeCursor(input.cursor));
  return { projects: listed(page.records), next_cursor: page.next ? encodeCursor(page.next) : null };
};

const listIssues = async (ctx: ActionContext, input: z.infer<typeof listIssuesInput>) => {
  // The cursor is Jira's nextPageToken, which Jira honours for the same query only.
  const page = await searchIssues(ctx, {
    jql: listJql(ctx, input),
    maxResults: input.limit ?? 50,
    ...(input.cursor !== undefined ? { nextPageToken: input.cursor } : {}),
  });
  return { work_items: listed(page.records), next_cursor: page.nextPageToken ?? null };
};

/**
 * Creates the issue, then reads it back: Jira answers only `{id, key, self}`, and the
 * status, timestamps and assignee's name are Jira's to set. Should that read fail (outage,
 * rate limit, or no permission to browse what one may create), the issue exists all the same
 * and a retry would create a second one, so the answer is what the request said: status
 * `open` (a new issue is in its workflow's initial status) with an empty `raw_status`
 * (unknown until the next read), no assignee name, times of now.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-post
 */
const createIssue = async (ctx: ActionContext, input: z.infer<typeof createIssueInput>) => {
  const description = input.description?.trim() ? input.description : undefined;
  const fields = {
    project: { key: input.project_key },
    summary: input.summary,
    issuetype: { name: input.issue_type ?? 'Task' },
    ...(description !== undefined ? { description: adfOf(description) } : {}),
    ...(input.labels && input.labels.length > 0 ? { labels: input.labels } : {}),
    ...(input.assignee_account_id !== undefined
      ? { assignee: { accountId: input.assignee_account_id } }
      : {}),
  };
  const res = await call(ctx, '/rest/api/3/issue', { method: 'POST', body: { fields }, ok: 201 });
  const created = parseAnswer('Jira', createdAnswer, res, 'POST /rest/api/3/issue');
  try {
    return { work_item: one(await getIssue(ctx, created.id)) };
  } catch (e) {
    if (!isProviderError(e)) throw e;
    const now = new Date().toISOString();
    const known = workItemRecord(created.id, created.key, {
      title: input.summary,
      description: description === undefined ? null : plainText(description),
      status: 'open',
      raw_status: '',
      assignees: [],
      labels: input.labels ?? [],
      url: browseUrl(siteUrl(ctx), created.key),
      project: input.project_key,
      due_date: null,
      created_at: now,
      updated_at: now,
    });
    return { work_item: one(known) };
  }
};

/**
 * Finds the transition by id, name or the status it leads to (in that order) among those
 * the issue has now, performs it, and answers the issue as it then is.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-get
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-transitions-post
 */
const transitionIssue = async (ctx: ActionContext, input: z.infer<typeof transitionIssueInput>) => {
  const issue = issueIdOrKey(input.issue);
  const path = `/rest/api/3/issue/${encodeURIComponent(issue)}/transitions`;
  const res = await call(ctx, path);
  const available = parseAnswer(
    'Jira',
    transitionsAnswer,
    res,
    'GET /rest/api/3/issue/{issueIdOrKey}/transitions',
  ).transitions.filter((t) => t.isAvailable !== false);
  const wanted = input.transition.trim();
  const same = (a: string | undefined) => a !== undefined && a.trim().toLowerCase() === wanted.toLowerCase();
  const transition =
    available.find((t) => t.id === wanted) ??
    available.find((t) => same(t.name)) ??
    available.find((t) => same(t.to?.name));
  if (!transition) {
    const names = available.map((t) => `${t.name} (id ${t.id}${t.to ? `, to ${t.to.name}` : ''})`);
    throw new ProviderError(
      'rejected',
      names.length > 0
        ? `Jira has no transition "${wanted}" for ${input.issue} now. Available: ${names.join('; ')}.`
        : `Jira offers no transition for ${input.issue} now to these credentials.`,
    );
  }
  await call(ctx, path, { method: 'POST', body: { transition: { id: transition.id } }, ok: 204 });
  return { work_item: one(await getIssue(ctx, issue)) };
};

export const actions: ActionsOf<typeof manifest> = {
  list_projects: listProjects,
  list_issues: listIssues,
  create_issue: createIssue,
  transition_issue: transitionIssue,
};
