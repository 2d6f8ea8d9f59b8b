import { ApiError } from './errors';
import { getIntegration } from './store/integrations-repo';

const TENANT_ID = /^ten_[0-9a-z]{26}$/;
const INTEGRATION_KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Parses `/webhooks/{tenant_id}/{integration_key}`; anything else is not ours. */
export const parseWebhookPath = (
  rawPath: string,
): { tenantId: string; integrationKey: string } | undefined => {
  const m = /^\/webhooks\/([^/]+)\/([^/]+)\/?$/.exec(rawPath);
  if (!m || !TENANT_ID.test(m[1] as string) || !INTEGRATION_KEY.test(m[2] as string)) return undefined;
  return { tenantId: m[1] as string, integrationKey: m[2] as string };
};

const notFound = () =>
  new ApiError('not_found', 'No integration at this webhook URL.', {
    remediation: "Use the integration's webhook_url from GET /v1/integrations/{key}.",
  });

/**
 * Receives a provider webhook. Unknown tenant or integration → 404 (without saying
 * which). Known integrations are refused with 401 until their provider's signature
 * check exists: an event that can't be verified is never accepted.
 */
export const receiveWebhook = async (rawPath: string): Promise<never> => {
  const target = parseWebhookPath(rawPath);
  if (!target) throw notFound();
  const integration = await getIntegration(target.tenantId, target.integrationKey);
  if (!integration) throw notFound();
  throw new ApiError('unauthorized', 'The webhook signature could not be verified.', {
    details: { provider: integration.provider },
  });
};
