import { defineContract } from '../../openapi/contract';
import { connectionList } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connections',
  summary: 'List connections',
  description:
    "With an end-user token, only that user's connections (an `end_user_id` naming another is 403).",
  success: { status: 200, description: 'A page of connections.', data: connectionList },
  errors: ['forbidden'],
});
