import { expect } from 'vitest';
import { linearRefusal, startLinearFake } from '../../fakes/linear';
import type { ProviderScenario } from './scenario';

/**
 * Linear through the HTTP API: a personal API key (sent bare, as verify-linear checks), the
 * connection narrowed to teams ENG and OPS, more than one page of each sync. Issues are
 * created in WEB, outside that narrowing, so the sync counts hold whatever order the runner
 * takes.
 */
const scenario: ProviderScenario = {
  provider: 'linear',
  async start() {
    const fake = await startLinearFake();
    fake.seedIssues(130);
    fake.seedIssues(25, { team: 'OPS' });
    fake.seedIssues(10, { team: 'WEB' });
    fake.seedProjects(45);
    fake.seedProjects(15, { teams: ['OPS', 'WEB'] });
    fake.seedProjects(5, { teams: ['WEB'] });
    fake.seedCycles(35);
    fake.seedCycles(20, { team: 'OPS', days: 7 });
    fake.seedCycles(6, { team: 'WEB' });
    const web = fake.team('WEB');

    return {
      stop: () => fake.stop(),
      integration: { provider: 'linear', endpoints: { api_base_url: fake.apiBaseUrl } },
      connection: { credentials: fake.valid, config: { teams: ['ENG', 'OPS'] } },
      syncs: {
        issues: { model: 'work_item', count: 155 },
        projects: { model: 'project', count: 60 },
        cycles: { model: 'project', count: 55 },
      },
      actions: {
        list_issues: {
          input: { team_id: 'OPS', state_type: 'started', limit: 2 },
          check(data) {
            expect(data.issues).toHaveLength(2);
            for (const i of data.issues) {
              expect(i).toMatchObject({ id: expect.stringMatching(/^linear_issue_/), project: 'OPS' });
              expect(i.status).toBe('in_progress');
            }
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        create_issue: {
          input: {
            team_id: 'WEB',
            title: 'Created by the scenario',
            priority: 2,
            label_ids: [fake.labelId('Bug')],
          },
          check(data) {
            expect(data.issue).toMatchObject({
              title: 'Created by the scenario',
              status: 'open',
              labels: ['Bug'],
              project: 'WEB',
            });
            const id = String(data.issue.id).replace('linear_issue_', '');
            expect(fake.issue(id)).toMatchObject({ title: 'Created by the scenario', priority: 2 });
            expect(fake.createInputs().at(-1)).toMatchObject({
              teamId: web.id,
              title: 'Created by the scenario',
            });
          },
        },
        list_projects: {
          input: { team_id: 'OPS' },
          check(data) {
            expect(data.projects).toHaveLength(15);
            for (const p of data.projects) expect(p).toMatchObject({ kind: 'project', parent: 'OPS,WEB' });
            expect(data.next_cursor).toBeNull();
          },
        },
        list_cycles: {
          input: { team_id: 'OPS', limit: 50 },
          check(data) {
            expect(data.cycles).toHaveLength(20);
            const statuses = data.cycles.map((c: { status: string }) => c.status);
            expect(statuses.filter((s: string) => s === 'active')).toHaveLength(1);
            expect(statuses.filter((s: string) => s === 'planned')).toHaveLength(1);
            expect(data.next_cursor).toBeNull();
          },
        },
      },
      probe: 'list_projects',
      failNext: (kind, retryAfterSeconds) => fake.faultNext(kind, retryAfterSeconds),
      refusalMessage: linearRefusal,
    };
  },
};

export default scenario;
