import { defineContract } from '../../openapi/contract';
import { token } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connections',
  summary: "Get a connection's token",
  description:
    'Usable credentials for your own calls to the provider: refreshed when they expire within 5 minutes or when forced; concurrent callers share one refresh. A refresh the provider refuses marks the connection `expired` (409 `connection_not_ready`).',
  success: { status: 200, description: 'The credentials.', data: token },
  errors: ['connection_not_ready', 'provider_unreachable', 'service_unavailable'],
  parameters: { id: '`conn_…`', force_refresh: 'Refresh now, even if the token is fresh.' },
});
