import { defineContract } from '../../openapi/contract';
import { recordPage } from '../../openapi/shapes/records';

export const contract = defineContract({
  tag: 'Records',
  summary: 'Read the records change feed',
  description:
    'Synced data of one connection and model, in the order changes were written. `next_cursor` is always returned: keep it, and come back later to see exactly what changed since, each change once. A full sync marks records the provider no longer returns `deleted`.',
  success: { status: 200, description: 'A page of the feed.', data: recordPage },
  errors: ['not_found'],
  parameters: {
    model: 'The model: `work_item`, `pull_request`, `repository`, … (one its provider syncs).',
    modified_after: 'Only records changed after this instant.',
  },
});
