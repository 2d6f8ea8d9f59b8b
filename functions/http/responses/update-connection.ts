import { defineContract } from '../../openapi/contract';
import { connection } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connections',
  summary: 'Update a connection',
  description:
    "`name`; `metadata` merged key by key (null removes a key); `config` replaced whole and validated by the provider's manifest.",
  success: { status: 200, description: 'The connection as it is now.', data: connection },
  parameters: { id: '`conn_…`' },
});
