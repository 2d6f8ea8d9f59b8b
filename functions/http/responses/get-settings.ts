import { defineContract } from '../../openapi/contract';
import { settings } from '../../openapi/shapes/platform';

export const contract = defineContract({
  tag: 'Settings',
  summary: 'Get settings',
  success: { status: 200, description: 'Your settings.', data: settings },
});
