import { defineContract } from '../../openapi/contract';
import { toolList } from '../../openapi/shapes/tools';

export const contract = defineContract({
  tag: 'Tools',
  summary: 'List tools',
  description:
    'With `workspace_id`, only the tools enabled there (a token bound to workspaces must name one of them).',
  success: { status: 200, description: 'A page of tools.', data: toolList },
  errors: ['forbidden', 'not_found'],
});
