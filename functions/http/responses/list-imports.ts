import { defineContract } from '../../openapi/contract';
import { importList } from '../../openapi/shapes/imports';

export const contract = defineContract({
  tag: 'Imports',
  summary: 'List imports',
  description: 'Newest first.',
  success: { status: 200, description: 'A page of imports.', data: importList },
  parameters: { end_user_id: "Only this end user's imports.", status: 'Only imports in this status.' },
});
