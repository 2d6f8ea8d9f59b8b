import { type ActionContext, type Credentials, loadAdapter } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';

export type ActionCall = {
  credentials: Credentials;
  baseUrl: string;
  config?: Record<string, unknown>;
  metadata?: Record<string, string>;
};

/**
 * Runs an action as core does: the input parsed by the action's declared zod schema
 * first (a failure throws, as 422 validation_failed would), then the adapter's function
 * through the registry with the shared http client.
 */
export const runAction = async (
  provider: string,
  action: string,
  call: ActionCall,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> => {
  const fn = (await loadAdapter(provider))?.actions[action];
  if (!fn) throw new Error(`${provider} has no action ${action}`);
  const parsed = fn.prepare(input);
  if (!parsed.success) throw new Error(`input refused: ${JSON.stringify(parsed.issues)}`);
  const ctx: ActionContext = {
    credentials: call.credentials,
    baseUrl: call.baseUrl,
    config: call.config ?? {},
    metadata: call.metadata ?? {},
    http: providerHttp,
  };
  return parsed.run(ctx);
};
