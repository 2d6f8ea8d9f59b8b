import { defineContract } from '../../openapi/contract';
import { syncRun } from '../../openapi/shapes/syncs';

export const contract = defineContract({
  tag: 'Syncs',
  summary: 'Get a sync run',
  success: { status: 200, description: 'The run.', data: syncRun },
  parameters: { id: '`run_…`' },
});
