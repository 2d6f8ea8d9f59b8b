import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { verifySharedToken, WebhookRefused } from '../webhook-signatures';

/**
 * GitLab webhooks (project and group hooks): the secret token sent back as is in
 * `X-Gitlab-Token`, the event in `X-Gitlab-Event` (`Issue Hook`, `Merge Request Hook`, …) and
 * `Idempotency-Key`, the same on every retry of a delivery (recent GitLab;
 * `X-Gitlab-Event-UUID` on older instances).
 * https://docs.gitlab.com/user/project/integrations/webhooks/
 *
 * Issue and merge request events do not carry the REST objects the syncs map: their
 * `object_attributes` are the database row (timestamps to the second as `2025-01-02 10:00:00
 * UTC` where REST has milliseconds, label objects, user ids beside separate user lists, no
 * `references` or `_links`). A record mapped from them would differ from the sync's record
 * of the same object, so every event is an incremental run of the sync that owns it.
 * https://docs.gitlab.com/user/project/integrations/webhook_events/
 */

const run = (sync: string): WebhookEffect => ({ kind: 'sync', syncs: [sync] });
const runs = new Map<string, WebhookEffect>([
  ['Issue Hook', run('issues')],
  ['Confidential Issue Hook', run('issues')],
  ['Merge Request Hook', run('merge_requests')],
  // Group hooks: a project created, deleted, renamed or transferred in the group.
  ['Project Hook', run('projects')],
]);

/** A comment moves its issue's or merge request's `updated_at`; other notes change no record. */
const noteable = new Map<string, WebhookEffect>([
  ['Issue', run('issues')],
  ['MergeRequest', run('merge_requests')],
]);
const note = z.object({ object_attributes: z.object({ noteable_type: z.string() }) });

const actor = z.object({ id: z.number(), username: z.optional(z.string()) });
const routing = z.object({
  project: z.optional(z.object({ path_with_namespace: z.string() })),
  user: z.optional(actor),
  // Push events name the user at the top.
  user_id: z.optional(z.number()),
  user_username: z.optional(z.string()),
});

export const webhooks: WebhookFunctions = {
  verify: (req, secret) => {
    verifySharedToken(req.headers['x-gitlab-token'], secret);
    const eventType = req.headers['x-gitlab-event'];
    if (!eventType) throw new WebhookRefused('missing X-Gitlab-Event');
    // An instance old enough to send neither header: the body, which a retry repeats.
    const deliveryId =
      req.headers['idempotency-key'] ||
      req.headers['x-gitlab-event-uuid'] ||
      `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`;
    return { kind: 'event', deliveryId, eventType };
  },

  /**
   * Connect time stores the user (id, username). A project's events name the project, its
   * namespaces (a personal project's is its owner's username) and who acted.
   */
  route: (payload) => {
    const r = routing.safeParse(payload);
    if (!r.success) return [];
    const { project, user, user_id, user_username } = r.data;
    const path = project?.path_with_namespace.split('/') ?? [];
    return routingKeys(
      ...path.map((_, i) => ['namespace', path.slice(0, i + 1).join('/')] as const),
      ['user', user?.id],
      ['user', user_id],
      ['login', user?.username],
      ['login', user_username],
    );
  },

  // The user (id, username), whose personal namespace is its username.
  connectionKeys: ({ account }): RoutingKey[] =>
    routingKeys(['user', account.id], ['login', account.name], ['namespace', account.name]),

  apply: (payload, eventType) => {
    if (eventType === 'Note Hook' || eventType === 'Confidential Note Hook') {
      const n = note.safeParse(payload);
      return n.success ? noteable.get(n.data.object_attributes.noteable_type) : undefined;
    }
    return runs.get(eventType);
  },
};
