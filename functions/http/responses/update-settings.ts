import { defineContract } from '../../openapi/contract';
import { settings } from '../../openapi/shapes/platform';

export const contract = defineContract({
  tag: 'Settings',
  summary: 'Update settings',
  description: 'The redirect URL allow-list (exact matches) and the default sync frequency.',
  success: { status: 200, description: 'Your settings as they are now.', data: settings },
});
