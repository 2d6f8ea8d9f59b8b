import * as z from 'zod/mini';
import { workspaceId } from '../../core/tools/workspace-id';

/** `{key}` of /v1/integrations/{key}: anything short; an unknown key is a 404, not a 422. */
export const keyPath = z.object({ key: z.string().check(z.minLength(1), z.maxLength(200)) });

/** `{id}` of /v1/connections/{id}. */
export const idPath = z.object({ id: z.string().check(z.minLength(1), z.maxLength(200)) });

/** `{id}` and `{name}` of /v1/connections/{id}/syncs/{name}. */
export const syncPath = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  name: z.string().check(z.minLength(1), z.maxLength(64)),
});

/** `{workspace_id}` (and `{connection_id}`) of /v1/workspaces/{workspace_id}/integrations[/{connection_id}]. */
export const workspacePath = z.object({ workspace_id: workspaceId });
export const grantPath = z.object({
  workspace_id: workspaceId,
  connection_id: z.string().check(z.minLength(1), z.maxLength(200)),
});

/** `{subscription_id}` of /v1/webhook-subscriptions/{subscription_id}[/deliveries]. */
export const subscriptionPath = z.object({
  subscription_id: z.string().check(z.minLength(1), z.maxLength(200)),
});

/** `{subscription_id}` and `{delivery_id}` of …/deliveries/{delivery_id}/retry. */
export const deliveryPath = z.object({
  subscription_id: z.string().check(z.minLength(1), z.maxLength(200)),
  delivery_id: z.string().check(z.minLength(1), z.maxLength(200)),
});
