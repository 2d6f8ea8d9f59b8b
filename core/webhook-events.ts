import { getIntegration } from './store/integrations-repo';

export type QueuedWebhookEvent = { tenant_id: string; integration_key: string; delivery_id: string };

/**
 * Processes a queued provider event. An event whose integration was deleted since it
 * was accepted is done (nothing can use it); routing to connections is not built yet.
 */
export const getIntegrationForEvent = async (evt: QueuedWebhookEvent): Promise<'dropped'> => {
  const integration = await getIntegration(evt.tenant_id, evt.integration_key);
  if (!integration) return 'dropped';
  throw new Error(`event ${evt.delivery_id}: no ${integration.provider} event routing in this build`);
};
