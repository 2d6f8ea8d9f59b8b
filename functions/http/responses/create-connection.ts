import { defineContract } from '../../openapi/contract';
import { connection } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connections',
  summary: 'Create a connection from credentials you hold',
  description:
    'The provider verifies the credentials first (and says whose account they are): refused credentials are 422 `validation_failed`, an unreachable provider 502. The same account connected again by the same end user refreshes its connection (200).',
  success: [
    { status: 201, description: 'A new connection.', data: connection },
    {
      status: 200,
      description: 'The same account was connected again: its connection, refreshed.',
      data: connection,
    },
  ],
  errors: ['integration_not_configured', 'conflict', 'provider_unreachable'],
});
