import { createHmac, randomUUID } from 'node:crypto';

/** What the GitHub fake's webhooks need beside its data: where a hook is, and a delivery's headers. */

/** Where a GitHub webhook is configured, and so which events it gets and how they are marked. */
export type GitHubHookTarget =
  /** Every repository the fake holds, each as its own repository hook would send. */
  | { type: 'all' }
  | { type: 'app' }
  | { type: 'organization'; login: string }
  | { type: 'repository'; fullName: string };

export type GitHubHook = {
  id: number;
  url: string;
  secret: string;
  target: GitHubHookTarget;
  /** Event names, or `*` for all. */
  events: string[];
};

/**
 * A GitHub delivery's headers: the event, a delivery GUID (kept on redelivery), the hook and
 * where it is installed, and the body's HMAC as `sha256=` (and the legacy `sha1=`).
 * https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
 */
export const gitHubDeliveryHeaders = (
  hook: GitHubHook,
  event: string,
  body: string,
  targetId: number | string,
): Record<string, string> => ({
  'content-type': 'application/json',
  'user-agent': 'GitHub-Hookshot/7c8b4e2',
  'x-github-event': event,
  'x-github-delivery': randomUUID(),
  'x-github-hook-id': String(hook.id),
  'x-github-hook-installation-target-type':
    hook.target.type === 'app' ? 'integration' : hook.target.type === 'all' ? 'repository' : hook.target.type,
  'x-github-hook-installation-target-id': String(targetId),
  'x-hub-signature': `sha1=${createHmac('sha1', hook.secret).update(body).digest('hex')}`,
  'x-hub-signature-256': `sha256=${createHmac('sha256', hook.secret).update(body).digest('hex')}`,
});
