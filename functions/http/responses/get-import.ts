import { defineContract } from '../../openapi/contract';
import { importView } from '../../openapi/shapes/imports';

export const contract = defineContract({
  tag: 'Imports',
  summary: 'Get an import',
  description:
    'Its status and progress: rows imported and failed, bytes read of the total, the first 100 row errors.',
  success: { status: 200, description: 'The import.', data: importView },
  errors: ['not_found'],
  parameters: { id: '`imp_…`' },
});
