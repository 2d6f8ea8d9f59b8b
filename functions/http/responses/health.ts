import { defineContract } from '../../openapi/contract';
import { health } from '../../openapi/shapes/platform';

export const contract = defineContract({
  tag: 'Health',
  summary: 'Liveness',
  description: 'The process is up. Touches no dependency.',
  success: { status: 200, description: 'Up.', data: health },
});
