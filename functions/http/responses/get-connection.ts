import { defineContract } from '../../openapi/contract';
import { connectionDetail } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connections',
  summary: 'Get a connection',
  description:
    "With its syncs and its last 10 runs. Another end user's connection is 404 to an end-user token.",
  success: { status: 200, description: 'The connection.', data: connectionDetail },
  parameters: { id: '`conn_…`' },
});
