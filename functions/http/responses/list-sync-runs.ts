import { defineContract } from '../../openapi/contract';
import { syncRunList } from '../../openapi/shapes/syncs';

export const contract = defineContract({
  tag: 'Syncs',
  summary: 'List sync runs',
  description: 'Newest first; runs are kept 30 days.',
  success: { status: 200, description: 'A page of runs.', data: syncRunList },
});
