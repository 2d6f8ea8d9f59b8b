import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, verifyHmacSha256Hex, WebhookRefused } from '../webhook-signatures';
import { cycleId, type IssueNode, issueId, issueNode, mapIssue, projectId } from './mapping';
import { teamsOf } from './syncs';

/**
 * Linear's data change webhooks. `Linear-Signature` is the bare hex HMAC-SHA256 of the raw
 * body with the webhook's signing secret; the body's `webhookTimestamp` (ms) must be within a
 * minute of now, read only once the HMAC matched. `Linear-Delivery` names the delivery (a
 * retry repeats it), `Linear-Event` the entity type (`Issue`), which is the event type here.
 * https://linear.app/developers/webhooks
 */

/** Linear's own receiver refuses deliveries more than a minute away from now. */
const WINDOW_MS = 60_000;

const envelope = z.object({
  action: z.string(),
  type: z.string().check(z.minLength(1)),
  createdAt: z.optional(z.string()),
  webhookTimestamp: z.number(),
  webhookId: z.optional(z.string()),
  data: z.optional(z.object({ id: z.optional(z.string()) })),
});

const verify = (req: WebhookRequest, secret: string, now: number): WebhookVerified => {
  verifyHmacSha256Hex(req.headers['linear-signature'], secret, req.rawBody, '');
  let body: unknown;
  try {
    body = JSON.parse(rawText(req.rawBody));
  } catch {
    throw new WebhookRefused('unreadable body');
  }
  const e = envelope.safeParse(body).data;
  if (!e) throw new WebhookRefused('not a Linear webhook');
  if (!Number.isFinite(e.webhookTimestamp) || Math.abs(now - e.webhookTimestamp) > WINDOW_MS)
    throw new WebhookRefused('stale timestamp');
  // Without the header (older deliveries): the webhook, the entity and the instant of the change.
  const fallback =
    e.webhookId && e.createdAt
      ? `${e.webhookId}:${e.type}:${e.action}:${e.data?.id ?? ''}:${e.createdAt}`
      : undefined;
  const deliveryId = req.headers['linear-delivery'] || fallback;
  if (!deliveryId) throw new WebhookRefused('no delivery id');
  return { kind: 'event', deliveryId, eventType: e.type };
};

const route = (payload: unknown): RoutingKey[] => {
  const org = z.object({ organizationId: z.string().check(z.minLength(1)) }).safeParse(payload);
  return routingKeys(['org', org.data?.organizationId]);
};

/**
 * An issue as webhooks carry it (IssueWebhookPayload): the GraphQL fields the sync selects,
 * but `labels` a plain list beside `labelIds`, and `assignee` beside `assigneeId`.
 * (the webhooks schema explorer linked from https://linear.app/developers/webhooks).
 */
const webhookIssue = z.extend(issueNode, {
  assigneeId: z.optional(z.nullable(z.string())),
  labelIds: z.optional(z.array(z.string())),
  labels: issueNode.shape.labels.shape.nodes,
});

/** The issue as the sync reads it, or undefined when the payload leaves out what the mapping needs. */
const issueNodeOf = (data: unknown): IssueNode | undefined => {
  const d = webhookIssue.safeParse(data).data;
  if (!d) return undefined;
  if (d.assigneeId && !d.assignee) return undefined;
  if (d.labelIds && d.labelIds.length !== d.labels.length) return undefined;
  const { labels, assigneeId: _, labelIds: __, ...rest } = d;
  return { ...rest, labels: { nodes: labels } };
};

const action = z.object({
  action: z.string(),
  type: z.string(),
  // Loose: the issue mapping reads the rest.
  data: z.looseObject({ id: z.string(), trashed: z.optional(z.nullable(z.boolean())) }),
});

const deleted = (sync: string, id: string): WebhookEffect => ({
  kind: 'records',
  sync,
  records: [],
  deletedIds: [id],
});

/**
 * Issues map as the issues sync maps them. Projects carry their teams as ids (the record's
 * parent is their keys) and cycles their team as an id: both have their sync run instead.
 * `remove`, and an entity put in the trash, delete the record as the sync does.
 */
const apply: WebhookFunctions['apply'] = (payload, _eventType, connection) => {
  const p = action.safeParse(payload).data;
  if (!p) return undefined;
  const gone = p.action === 'remove' || p.data.trashed === true;
  if (p.type === 'Issue') {
    if (gone) return deleted('issues', issueId(p.data));
    const node = issueNodeOf(p.data);
    if (!node) return { kind: 'sync', syncs: ['issues'] };
    // An issue of a team outside `config.teams` (keys, as the sync's filter matches them) changes nothing here.
    const teams = teamsOf(connection?.config ?? {});
    if (teams.length > 0 && !teams.includes(node.team.key)) return undefined;
    return { kind: 'records', sync: 'issues', records: [mapIssue(node)], deletedIds: [] };
  }
  if (p.type === 'Project')
    return gone ? deleted('projects', projectId(p.data)) : { kind: 'sync', syncs: ['projects'] };
  if (p.type === 'Cycle')
    return gone ? deleted('cycles', cycleId(p.data)) : { kind: 'sync', syncs: ['cycles'] };
  // Comments and the rest change no record: passed on to the tenant as they are.
  return undefined;
};

export const webhooks: WebhookFunctions = { verify, route, apply };
