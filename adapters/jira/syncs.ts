import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import { searchIssues, UNBOUNDED } from './issues';
import type { manifest } from './manifest';
import { fetchProjects, projectsPosition } from './projects';
import { call, configuredProjects, literal } from './rest';
import { fetchSprints, sprintsPosition } from './sprints';

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
 *
 * The projects sync is in projects.ts, the sprints sync in sprints.ts (full runs only: Jira
 * has no filter by change for either).
 */

const MAX_RESULTS = 100;

const myself = z.object({ timeZone: z.optional(z.string()) });

const checkpoint = z.object({ jql: z.string(), nextPageToken: z.string() });

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
const sinceClause = async (ctx: SyncContext, since: string): Promise<string> => {
  const instant = new Date(since);
  if (Number.isNaN(instant.getTime())) throw new Error(`since is not an ISO instant: ${since}`);
  // https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-myself/#api-rest-api-3-myself-get
  const res = await call(ctx, '/rest/api/3/myself');
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

const firstJql = async (ctx: SyncContext): Promise<string> => {
  const clauses: string[] = [];
  const projects = configuredProjects(ctx);
  if (projects.length > 0) clauses.push(`project in (${projects.map(literal).join(', ')})`);
  if (ctx.mode === 'incremental' && ctx.since !== undefined) clauses.push(await sinceClause(ctx, ctx.since));
  if (clauses.length === 0) clauses.push(UNBOUNDED);
  return `${clauses.join(' AND ')} ORDER BY created ASC, key ASC`;
};

const fetchIssuesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const stored = checkpoint.safeParse(ctx.checkpoint);
  const jql = stored.success ? stored.data.jql : await firstJql(ctx);
  const page = await searchIssues(ctx, {
    jql,
    maxResults: MAX_RESULTS,
    ...(stored.success ? { nextPageToken: stored.data.nextPageToken } : {}),
  });
  return page.nextPageToken === undefined
    ? { records: page.records }
    : { records: page.records, next: { jql, nextPageToken: page.nextPageToken } };
};

const fetchProjectsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const page = await fetchProjects(ctx, projectsPosition.safeParse(ctx.checkpoint).data);
  return page.next === undefined ? { records: page.records } : { records: page.records, next: page.next };
};

export const syncs: SyncsOf<typeof manifest> = {
  issues: fetchIssuesPage,
  projects: fetchProjectsPage,
  sprints: (ctx) => fetchSprints(ctx, sprintsPosition.safeParse(ctx.checkpoint).data),
};
