import { expect } from 'vitest';
import { SONARCLOUD_REFUSAL, startSonarCloudFake } from '../../fakes/sonarcloud';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * SonarQube Cloud against its fake: a connection with a user token to the `acme`
 * organization, 180 projects there (gates passed, failed, warn and never analysed; listed
 * 100 a page, gates walked 50 projects a page) and a few in an organization outside it.
 */
const scenario: ProviderScenario = {
  provider: 'sonarcloud',
  start: async () => {
    const sc = await startSonarCloudFake();
    sc.seedProjects('acme', 179);
    const [payments = ''] = sc.seedProjects('acme', 1, {
      name: 'Payments API',
      gate: sc.gates[1] as (typeof sc.gates)[number],
      analysisDate: '2024-05-01T12:30:00+0200',
    });
    sc.seedProjects('globex', 5);
    const inAcme = [...sc.projects.values()].filter((p) => p.organization === 'acme').length;

    return {
      stop: () => sc.stop(),
      integration: { provider: 'sonarcloud', endpoints: { api_base_url: sc.apiBaseUrl } },
      connection: { credentials: sc.valid as Record<string, unknown>, config: { organization: 'acme' } },
      syncs: {
        projects: { model: 'project', count: inAcme },
        quality_gates: { model: 'quality_gate', count: inAcme },
      },
      actions: {
        get_quality_gate_status: {
          input: { project_key: payments },
          check: (data: Json) => {
            expect(data.quality_gate).toMatchObject({
              id: `sonar_qg_${payments}`,
              project: payments,
              status: 'failed',
              analysed_at: '2024-05-01T10:30:00.000Z',
            });
            expect(data.quality_gate.conditions).toContainEqual({
              metric: 'new_coverage',
              status: 'ERROR',
              actual: '61.5',
              threshold: '80',
            });
          },
        },
        list_projects: {
          input: { page_size: 50 },
          check: (data: Json) => {
            expect(data.projects).toHaveLength(50);
            expect(data.projects[0]).toMatchObject({ kind: 'project', parent: 'acme', status: 'active' });
            expect(data.next_cursor).toBe('2');
          },
        },
      },
      probe: 'get_quality_gate_status',
      failNext: (kind, retryAfterSeconds) => sc.failNext(kind, retryAfterSeconds),
      refusalMessage: SONARCLOUD_REFUSAL,
    };
  },
};

export default scenario;
