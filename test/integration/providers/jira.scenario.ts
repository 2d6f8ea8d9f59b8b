import { expect } from 'vitest';
import { startJiraFake } from '../../fakes/jira';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Jira against its fake, connected with an email and API token (basic auth) on the site
 * acme.atlassian.net (config.site, as the verify and sync tests connect): 230 ACME and 40 OPS
 * issues (three search pages), 64 projects with ACME and OPS, two of them archived (two
 * project-search pages); Jira Software boards: "Team board" with 60 sprints (two pages), a
 * kanban board (no sprints), "Ops board" with 4, one of them shown on the Team board too.
 */
const scenario: ProviderScenario = {
  provider: 'jira',
  start: async () => {
    const jira = await startJiraFake();
    const acme = jira.seedIssues(230);
    const ops = jira.seedIssues(40, { project: 'OPS' });
    jira.seedProjects(60);
    jira.seedProjects(2, { archived: true });
    const team = jira.createBoard('Team board');
    jira.seedSprints(team, 60);
    jira.createBoard('Support kanban', { type: 'kanban' });
    const [shared] = jira.seedSprints(jira.createBoard('Ops board', { project: 'OPS' }), 4);
    jira.showSprintOn(shared as number, team);
    type Raw = { key: string; fields: { status: { name: string }; summary: string } };
    const raw = (id: string) => jira.issue(id) as Raw;
    const toDo = acme.find((id) => raw(id).fields.status.name === 'To Do') as string;

    return {
      stop: () => jira.stop(),
      integration: { provider: 'jira', endpoints: { api_base_url: jira.apiBaseUrl } },
      connection: { credentials: jira.valid as Record<string, unknown>, config: { site: jira.site } },
      syncs: {
        issues: { model: 'work_item', count: acme.length + ops.length },
        projects: { model: 'project', count: 64 },
        // The shared sprint once, under its own board.
        sprints: { model: 'project', count: 60 + 4 },
      },
      actions: {
        list_projects: {
          input: {},
          check: (data: Json) => {
            expect(data.projects).toHaveLength(50);
            expect(data.projects[0]).toMatchObject({
              id: `jira_project_${jira.projectIds()[0]}`,
              name: 'ACME project',
              kind: 'project',
              key: 'ACME',
              status: 'active',
              url: 'https://acme.atlassian.net/browse/ACME',
            });
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        list_issues: {
          input: { project_key: 'OPS', limit: 20 },
          check: (data: Json) => {
            expect(data.work_items.map((i: Json) => i.id)).toEqual(
              [...ops]
                .reverse()
                .slice(0, 20)
                .map((id) => `jira_issue_${id}`),
            );
            for (const i of data.work_items) expect(i.project).toBe('OPS');
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        create_issue: {
          input: {
            project_key: 'ACME',
            summary: 'Checkout button misaligned',
            description: 'On Safari 17.',
            labels: ['bug'],
          },
          check: (data: Json) => {
            const id = jira.issueIds('ACME').at(-1) as string;
            const created = raw(id);
            expect(created.fields.summary).toBe('Checkout button misaligned');
            expect(data.work_item).toEqual({
              id: `jira_issue_${id}`,
              title: 'Checkout button misaligned',
              description: 'On Safari 17.',
              status: 'open',
              raw_status: 'To Do',
              assignees: [],
              labels: ['bug'],
              url: `https://acme.atlassian.net/browse/${created.key}`,
              project: 'ACME',
              due_date: null,
              created_at: expect.any(String),
              updated_at: expect.any(String),
            });
          },
        },
        transition_issue: {
          input: { issue: raw(toDo).key, transition: 'Start Progress' },
          check: (data: Json) => {
            expect(raw(toDo).fields.status.name).toBe('In Progress');
            expect(data.work_item).toMatchObject({
              id: `jira_issue_${toDo}`,
              status: 'in_progress',
              raw_status: 'In Progress',
            });
          },
        },
      },
      probe: 'list_issues',
      failNext: (kind, retryAfterSeconds) => jira.failNext(kind, retryAfterSeconds),
      refusalMessage: jira.refusalMessage,
    };
  },
};

export default scenario;
