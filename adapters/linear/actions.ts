import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { ActionContext, ActionsOf, InputOf, SyncRecord } from '../types';
import { connection, fetchList, type LinearList, linearGraphql } from './graphql';
import type { manifest } from './manifest';
import {
  cycleList,
  ISSUE_FIELDS,
  issueList,
  issueNode,
  mapCycle,
  mapIssue,
  mapProject,
  projectList,
} from './mapping';

/**
 * Linear's actions, over GraphQL: lists of issues, projects and cycles (by creation, newest
 * first; Relay cursors as `cursor` / `next_cursor`) mapped as their syncs map them, and issue
 * creation.
 * Teams are named by id (UUID) or key (`ENG`, what records carry as project or parent).
 * https://linear.app/developers/graphql
 */

const DEFAULT_LIMIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Paging = { cursor?: string | undefined; limit?: number | undefined };
type Filter = Record<string, unknown>;

/** A TeamFilter for an id or a key. https://linear.app/developers/filtering */
const teamFilter = (team: string): Filter => (UUID.test(team) ? { id: { eq: team } } : { key: { eq: team } });

const item = (r: SyncRecord) => ({ id: r.id, ...r.data });

/** One page of a list: `{ [field]: [...], next_cursor }`. */
const listPage = async <S extends z.ZodMiniType>(
  ctx: ActionContext,
  list: LinearList<S>,
  input: Paging,
  filter: Filter,
  map: (n: z.infer<S>) => SyncRecord,
): Promise<Record<string, unknown>> => {
  const page = await fetchList(ctx, list, {
    first: input.limit ?? DEFAULT_LIMIT,
    after: input.cursor ?? null,
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
  });
  return { [list.field]: page.nodes.map((n) => item(map(n))), next_cursor: page.next };
};

type ListIssuesInput = InputOf<typeof manifest, 'list_issues'>;

/** "me", an email, or a user id, as a NullableUserFilter. */
const assigneeFilter = (who: string): Filter =>
  who === 'me' ? { isMe: { eq: true } } : who.includes('@') ? { email: { eq: who } } : { id: { eq: who } };

// https://linear.app/developers/filtering
const listIssues = (ctx: ActionContext, input: ListIssuesInput) =>
  listPage(
    ctx,
    issueList,
    input,
    {
      ...(input.team_id ? { team: teamFilter(input.team_id) } : {}),
      ...(input.state_type ? { state: { type: { eq: input.state_type } } } : {}),
      ...(input.assignee ? { assignee: assigneeFilter(input.assignee) } : {}),
    },
    mapIssue,
  );

const teamsAnswer = z.object({ teams: connection(z.object({ id: z.string() })) });

/** The team's id: as given, or looked up by key (issueCreate takes ids only). */
const teamIdOf = async (ctx: ActionContext, team: string): Promise<string> => {
  if (UUID.test(team)) return team;
  const data = await linearGraphql(
    ctx,
    'the teams query',
    {
      query:
        'query TeamByKey($filter: TeamFilter) { teams(filter: $filter, first: 1) { nodes { id } pageInfo { hasNextPage endCursor } } }',
      variables: { filter: { key: { eq: team } } },
    },
    teamsAnswer,
  );
  const found = data.teams.nodes[0];
  if (!found)
    throw new ProviderError('rejected', `Linear has no team with the key ${team} for these credentials.`);
  return found.id;
};

type CreateIssueInput = InputOf<typeof manifest, 'create_issue'>;

const CREATE_ISSUE = `mutation CreateIssue($input: IssueCreateInput!) {
  issueCreate(input: $input) {
    success
    issue {
      ${ISSUE_FIELDS}
    }
  }
}`;

const created = z.object({
  issueCreate: z.object({ success: z.boolean(), issue: z.optional(z.nullable(issueNode)) }),
});

// https://linear.app/developers/graphql#creating-and-editing-issues
const createIssue = async (ctx: ActionContext, input: CreateIssueInput) => {
  const teamId = await teamIdOf(ctx, input.team_id);
  const issueInput = {
    teamId,
    title: input.title,
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.priority !== undefined ? { priority: input.priority } : {}),
    ...(input.label_ids ? { labelIds: input.label_ids } : {}),
    ...(input.assignee_id ? { assigneeId: input.assignee_id } : {}),
    // Project records (and list_projects) name projects `linear_project_<id>`.
    ...(input.project_id ? { projectId: input.project_id.replace(/^linear_project_/, '') } : {}),
  };
  const data = await linearGraphql(
    ctx,
    'the issueCreate mutation',
    { query: CREATE_ISSUE, variables: { input: issueInput } },
    created,
  );
  const { success, issue } = data.issueCreate;
  if (!success || !issue) throw new ProviderError('rejected', 'Linear did not create the issue.');
  return { issue: item(mapIssue(issue)) };
};

type TeamListInput = InputOf<typeof manifest, 'list_projects'>;

const listProjects = (ctx: ActionContext, input: TeamListInput) =>
  listPage(
    ctx,
    projectList,
    input,
    input.team_id ? { accessibleTeams: { some: teamFilter(input.team_id) } } : {},
    mapProject,
  );

const listCycles = (ctx: ActionContext, input: TeamListInput) =>
  listPage(ctx, cycleList, input, input.team_id ? { team: teamFilter(input.team_id) } : {}, (n) =>
    mapCycle(n),
  );

export const actions: ActionsOf<typeof manifest> = {
  list_issues: listIssues,
  create_issue: createIssue,
  list_projects: listProjects,
  list_cycles: listCycles,
};
