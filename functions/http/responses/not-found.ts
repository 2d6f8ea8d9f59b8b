import { defineContract } from '../../openapi/contract';

/** The `$default` row: whatever matched no route. It is no path of the document. */
export const contract = defineContract({
  tag: 'Contract',
  summary: 'Any other path',
  success: [],
  errors: ['not_found'],
});
