import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions } from '../types';
import { routingKeys } from '../webhook-routing';
import { verifySharedToken, WebhookRefused } from '../webhook-signatures';
import { mapPipeline } from './mapping';

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
 * of the same object, so every such event is an incremental run of the sync that owns it.
 * Pipeline events are the exception: what the pipelines sync maps survives the hook's format.
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

/**
 * A Pipeline Hook (`object_kind: "pipeline"`) carries what the pipelines sync maps, in the
 * hook's terms: `object_attributes` (id, name, ref, sha, status, source, `created_at` to the
 * second) and the project (its path and web URL, from which the pipeline's URL is the REST
 * `web_url`). Mapped at once with the sync's mapping; a payload without them runs the sync.
 * https://docs.gitlab.com/user/project/integrations/webhook_events/#pipeline-events
 */
const pipelineHook = z.object({
  object_kind: z.literal('pipeline'),
  object_attributes: z.object({
    id: z.number(),
    iid: z.optional(z.number()),
    name: z.optional(z.nullable(z.string())),
    ref: z.nullable(z.string()),
    sha: z.string(),
    status: z.string(),
    source: z.optional(z.string()),
    created_at: z.string(),
  }),
  project: z.object({ id: z.number(), web_url: z.string() }),
});

/** `2025-01-02 10:00:00 UTC`, as hooks write times, as an ISO instant. */
const hookInstant = (value: string): string =>
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/.test(value)
    ? `${value.slice(0, 10)}T${value.slice(11, 19)}Z`
    : value;

const applyPipeline = (payload: unknown): WebhookEffect => {
  const e = pipelineHook.safeParse(payload);
  if (!e.success) return run('pipelines');
  const a = e.data.object_attributes;
  try {
    const record = mapPipeline({
      ...a,
      project_id: e.data.project.id,
      web_url: `${e.data.project.web_url}/-/pipelines/${a.id}`,
      created_at: hookInstant(a.created_at),
    });
    return { kind: 'records', sync: 'pipelines', records: [record], deletedIds: [] };
  } catch {
    return run('pipelines');
  }
};

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

  apply: (payload, eventType) => {
    if (eventType === 'Note Hook' || eventType === 'Confidential Note Hook') {
      const n = note.safeParse(payload);
      return n.success ? noteable.get(n.data.object_attributes.noteable_type) : undefined;
    }
    if (eventType === 'Pipeline Hook') return applyPipeline(payload);
    return runs.get(eventType);
  },
};
