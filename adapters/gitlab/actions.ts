import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionsOf, SyncRecord } from '../types';
import type { createIssueInput, listIssuesInput, manifest } from './manifest';
import { type Issue, issue, mapIssue } from './mapping';
import { authHeaders, failure, nextPage, projectRef } from './rest';

/**
 * GitLab's tools: a record's `id` and its model's fields (and the issue's `number`, its `iid`,
 * which is how GitLab users name issues); lists page with `cursor`, GitLab's own page number
 * from `x-next-page` (null on the last). Refusals — 404 "Project Not Found", 400 field
 * errors, 403 for a token without the `api` scope — carry GitLab's message.
 */

const issues = z.array(issue);

const flat = (r: SyncRecord, i: Issue) => ({ id: r.id, ...r.data, number: i.iid });

export const actions: ActionsOf<typeof manifest> = {
  // https://docs.gitlab.com/api/issues/#list-project-issues
  list_issues: async (ctx, input: z.infer<typeof listIssuesInput>) => {
    const q = new URLSearchParams({
      state: input.state ?? 'opened',
      per_page: String(input.per_page ?? 20),
      page: input.cursor ?? '1',
    });
    // Issues carrying every one of these labels.
    if (input.labels?.length) q.set('labels', input.labels.join(','));
    const res = await ctx.http(`${ctx.baseUrl}/projects/${projectRef(input.project)}/issues?${q}`, {
      headers: authHeaders(ctx.credentials),
    });
    if (res.status !== 200) throw failure(res);
    const page = parseAnswer('GitLab', issues, res, 'GET /projects/:id/issues');
    const next = nextPage(res);
    return {
      issues: page.map((i) => flat(mapIssue(i), i)),
      next_cursor: next === undefined ? null : String(next),
    };
  },

  // https://docs.gitlab.com/api/issues/#new-issue
  create_issue: async (ctx, input: z.infer<typeof createIssueInput>) => {
    const { project, labels, ...fields } = input;
    const res = await ctx.http(`${ctx.baseUrl}/projects/${projectRef(project)}/issues`, {
      method: 'POST',
      headers: authHeaders(ctx.credentials),
      body: { ...fields, ...(labels?.length ? { labels: labels.join(',') } : {}) },
    });
    if (res.status !== 201) throw failure(res);
    const created = parseAnswer('GitLab', issue, res, 'POST /projects/:id/issues');
    return { issue: flat(mapIssue(created), created) };
  },
};
