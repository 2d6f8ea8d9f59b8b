import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type WorkItem, workItem } from '../models';
import { parseAnswer } from '../parse';
import type { ActionContext, SyncRecord } from '../types';
import { browseUrl, call, literal, siteUrl } from './rest';

/**
 * Jira issues as work items, for the issues sync and the issue actions alike: the fields
 * asked for, their schema, the mapping, and the enhanced JQL search both page through.
 */

/** The fields the mapping reads: ask for these only (other fields cap a search page lower). */
export const ISSUE_FIELDS = [
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

export const jiraIssue = z.object({
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

/**
 * Every issue was created after 1970: bounds a query without narrowing it (the search refuses
 * unbounded JQL: "Unbounded JQL queries are not allowed here").
 */
export const UNBOUNDED = `created >= ${literal('1970/01/01')}`;

const searchAnswer = z.object({
  issues: z.array(jiraIssue),
  nextPageToken: z.optional(z.nullable(z.string())),
  isLast: z.optional(z.boolean()),
});

/** Jira writes offsets without a colon (`+0200`); ISO-8601 and our model want `+02:00`. */
export const isoOf = (value: string): string => {
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

/**
 * Plain text as an Atlassian Document Format document (v3 refuses a string): a paragraph
 * for each block of text between blank lines, a hard break for each single newline. ADF
 * forbids empty text nodes, so blank lines leave none.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export const adfOf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .filter((block) => block.trim() !== '')
    .map((block) => ({
      type: 'paragraph',
      content: block
        .split('\n')
        .flatMap((line, i) => [
          ...(i > 0 ? [{ type: 'hardBreak' }] : []),
          ...(line === '' ? [] : [{ type: 'text', text: line }]),
        ]),
    })),
});

const CANCELLED = /^(won['’]?t (do|fix)|cancell?ed|canceled|declined|abandoned)$/i;

/** A status and resolution as ours: the status category decides, a cancelling name overrides. */
export const workStatusOf = (
  status: { name: string; statusCategory: { key: string } },
  resolution?: { name: string } | null,
): WorkItem['status'] => {
  if (resolution && CANCELLED.test(resolution.name.trim())) return 'cancelled';
  switch (status.statusCategory.key) {
    case 'done':
      return CANCELLED.test(status.name.trim()) ? 'cancelled' : 'done';
    case 'indeterminate':
      return 'in_progress';
    default:
      // `new`, and `undefined` (no category) for statuses Jira could not classify.
      return 'open';
  }
};

export const issueRecordId = (id: string): string => `jira_issue_${id}`;

/** A work item checked against the model: a mapping bug must not reach the records. */
export const workItemRecord = (id: string, key: string, data: WorkItem): SyncRecord => {
  const r = workItem.safeParse(data);
  if (!r.success) {
    throw new ProviderError(
      'unreachable',
      `Jira answered ${key} with data that does not map to a work item.`,
    );
  }
  return { id: issueRecordId(id), data: r.data };
};

export const mapIssue = (i: JiraIssue, site: string | undefined): SyncRecord => {
  const f = i.fields;
  return workItemRecord(i.id, i.key, {
    title: f.summary ?? '',
    description: plainText(f.description),
    status: workStatusOf(f.status, f.resolution),
    raw_status: f.status.name,
    assignees: f.assignee?.displayName ? [f.assignee.displayName] : [],
    labels: f.labels ?? [],
    url: browseUrl(site, i.key),
    project: f.project.key,
    due_date: f.duedate ?? null,
    created_at: isoOf(f.created),
    updated_at: isoOf(f.updated),
  });
};

/**
 * One page of the enhanced JQL search, mapped; `nextPageToken` is opaque and bound to its
 * JQL (Jira refuses it with another query). Absent on the last page.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-post
 */
export const searchIssues = async (
  ctx: ActionContext,
  q: { jql: string; maxResults: number; nextPageToken?: string },
): Promise<{ records: SyncRecord[]; nextPageToken?: string }> => {
  const res = await call(ctx, '/rest/api/3/search/jql', {
    method: 'POST',
    body: {
      jql: q.jql,
      maxResults: q.maxResults,
      fields: ISSUE_FIELDS,
      ...(q.nextPageToken !== undefined ? { nextPageToken: q.nextPageToken } : {}),
    },
  });
  const page = parseAnswer('Jira', searchAnswer, res, 'POST /rest/api/3/search/jql');
  const site = siteUrl(ctx);
  const records = page.issues.map((i) => mapIssue(i, site));
  const token = page.nextPageToken;
  return page.isLast === true || !token ? { records } : { records, nextPageToken: token };
};

/** One issue by id or key, mapped. https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get */
export const getIssue = async (ctx: ActionContext, idOrKey: string): Promise<SyncRecord> => {
  const q = new URLSearchParams({ fields: ISSUE_FIELDS.join(',') });
  const res = await call(ctx, `/rest/api/3/issue/${encodeURIComponent(idOrKey)}?${q}`);
  return mapIssue(parseAnswer('Jira', jiraIssue, res, 'GET /rest/api/3/issue/{issueIdOrKey}'), siteUrl(ctx));
};
