import { defineContract } from '../../openapi/contract';
import { triggered } from '../../openapi/shapes/syncs';

export const contract = defineContract({
  tag: 'Syncs',
  summary: 'Trigger syncs',
  description:
    'Omitted `syncs` means all. A sync already queued or running is not queued twice: its run is answered.',
  success: { status: 202, description: 'Queued.', data: triggered },
  errors: ['not_found', 'connection_not_ready'],
});
