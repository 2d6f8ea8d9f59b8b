import { defineContract } from '../../openapi/contract';
import { connectionDeleted } from '../../openapi/shapes/connections';

export const contract = defineContract({
  tag: 'Connections',
  summary: 'Delete a connection',
  description:
    'Revokes the grant at the provider where it documents revocation, then deletes: its credentials go; its synced records stay unless `purge_records=true`.',
  success: { status: 200, description: 'Deleted.', data: connectionDeleted },
  parameters: { id: '`conn_…`', purge_records: 'Delete its records too.' },
});
