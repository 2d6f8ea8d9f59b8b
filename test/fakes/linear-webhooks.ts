import { createHmac, randomUUID } from 'node:crypto';
import { sensitive } from '../leak-watch';
import { randomHex } from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * The webhooks of the Linear fake: once one is registered (`registerWebhook`, as an admin
 * does in Settings → API, or an OAuth app's webhook), every create, update and removal of an
 * issue, project or cycle is POSTed there as Linear sends it: JSON `{ action, actor,
 * createdAt, data, url, type, organizationId, webhookTimestamp, webhookId, updatedFrom? }`
 * with `Linear-Delivery` (a UUID, the same on retries), `Linear-Event` (the entity type) and
 * `Linear-Signature` (bare hex HMAC-SHA256 of the body with the webhook's signing secret).
 * `data` is the entity as webhooks carry it — ids of related objects beside a few child
 * objects — not the GraphQL shape. A retry is re-sent with a fresh webhookTimestamp, so it
 * is signed anew (`redeliver`). Linear waits 5 seconds for a 200.
 * https://linear.app/developers/webhooks
 */

/** A redelivery is Linear's retry: the same Linear-Delivery, a new webhookTimestamp. */
export type LinearWebhookControls = WebhookOutboxControls & {
  /** Registers a webhook for every resource type; returns its signing secret (a new one unless given). */
  registerWebhook(url: string, secret?: string): string;
};

export type LinearAction = 'create' | 'update' | 'remove';
type Json = Record<string, unknown>;

const TIMEOUT_MS = 5000;
const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];

/** Leaves out what is null or undefined, as Linear's payloads do. */
const present = (o: Json): Json =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));

type Named = { id: string; name: string };
type IssueNode = Json & {
  id: string;
  priority: number;
  state: Named & { type: string; color: string };
  assignee: (Named & { email: string }) | null;
  labels: { nodes: (Named & { color: string })[] };
  team: Named & { key: string };
  project: Named | null;
};

/** An issue of the fake's GraphQL shape, as IssueWebhookPayload carries it. */
const issueData = (n: IssueNode, creatorId: string): Json =>
  present({
    id: n.id,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
    archivedAt: n.archivedAt,
    number: n.number,
    title: n.title,
    description: n.description,
    priority: n.priority,
    estimate: n.estimate,
    sortOrder: -n.priority,
    previousIdentifiers: [],
    priorityLabel: PRIORITY_LABELS[n.priority] ?? 'No priority',
    teamId: n.team.id,
    stateId: n.state.id,
    assigneeId: n.assignee?.id,
    creatorId,
    projectId: n.project?.id,
    labelIds: n.labels.nodes.map((l) => l.id),
    subscriberIds: [creatorId],
    dueDate: n.dueDate,
    trashed: n.trashed,
    identifier: n.identifier,
    url: n.url,
    botActor: null,
    state: { id: n.state.id, color: n.state.color, name: n.state.name, type: n.state.type },
    team: { id: n.team.id, key: n.team.key, name: n.team.name },
    labels: n.labels.nodes.map((l) => ({ id: l.id, color: l.color, name: l.name })),
    assignee: n.assignee
      ? {
          id: n.assignee.id,
          name: n.assignee.name,
          email: n.assignee.email,
          url: `https://linear.app/acme/profiles/${n.assignee.name.split(' ')[0]?.toLowerCase()}`,
        }
      : undefined,
    project: n.project ? { id: n.project.id, name: n.project.name } : undefined,
  });

type ProjectNode = Json & {
  id: string;
  status: { id: string };
  teams: { nodes: { id: string }[] };
};

/** A project: its status and teams by id only (ProjectWebhookPayload). */
const projectData = (n: ProjectNode, creatorId: string): Json =>
  present({
    id: n.id,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
    archivedAt: n.archivedAt,
    name: n.name,
    description: n.description,
    slugId: n.slugId,
    color: n.color,
    icon: n.icon,
    priority: n.priority,
    sortOrder: 0,
    progress: n.progress,
    startDate: n.startDate,
    targetDate: n.targetDate,
    statusId: n.status.id,
    creatorId,
    memberIds: [],
    teamIds: n.teams.nodes.map((t) => t.id),
    trashed: n.trashed,
    url: n.url,
  });

type CycleNode = Json & { team: { id: string } };

/** A cycle: its team by id only (CycleWebhookPayload). */
const cycleData = (n: CycleNode): Json =>
  present({
    id: n.id,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
    archivedAt: n.archivedAt,
    number: n.number,
    name: n.name,
    description: n.description,
    startsAt: n.startsAt,
    endsAt: n.endsAt,
    completedAt: n.completedAt,
    teamId: n.team.id,
    issueCountHistory: [],
    completedIssueCountHistory: [],
    scopeHistory: [],
    completedScopeHistory: [],
    inProgressScopeHistory: [],
  });

/** The previous values of what changed, as `updatedFrom` holds them. */
const changedFrom = (before: Json, after: Json): Json =>
  Object.fromEntries(
    [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((k) => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => [k, before[k] ?? null])
      .concat([['updatedAt', before.updatedAt ?? null]]),
  );

export const createLinearWebhooks = (o: {
  organizationId: string;
  actor: { id: string; name: string; email: string };
}) => {
  let hook: { url: string; secret: string; id: string } | undefined;

  /** `body` to the webhook, stamped and signed as of now. */
  const stamped = (delivery: string, type: string, body: Json) => {
    if (!hook) throw new Error('no webhook registered');
    const raw = JSON.stringify({ ...body, webhookTimestamp: Date.now() });
    const headers = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Linear-Webhook',
      'linear-delivery': delivery,
      'linear-event': type,
      'linear-signature': createHmac('sha256', hook.secret).update(raw).digest('hex'),
    };
    return { url: hook.url, headers, body: raw };
  };
  const outbox = createWebhookOutbox({
    timeoutMs: TIMEOUT_MS,
    redelivery: (d) => {
      const { webhookTimestamp: _, ...body } = JSON.parse(d.body) as Json;
      return stamped(d.headers['linear-delivery'] as string, d.headers['linear-event'] as string, body);
    },
  });

  const emit = (type: string, action: LinearAction, data: Json, url: unknown, before?: Json) => {
    if (!hook) return;
    void outbox.send(
      stamped(randomUUID(), type, {
        action,
        actor: { id: o.actor.id, type: 'user', name: o.actor.name, email: o.actor.email },
        createdAt: data.updatedAt,
        data,
        url,
        type,
        organizationId: o.organizationId,
        webhookId: hook.id,
        ...(action === 'update' && before ? { updatedFrom: changedFrom(before, data) } : {}),
      }),
    );
  };

  const controls: LinearWebhookControls = {
    registerWebhook: (url, secret) => {
      hook = { url, secret: secret ?? sensitive(`lin_wh_${randomHex(48)}`), id: randomUUID() };
      return hook.secret;
    },
    ...outbox.controls,
  };

  /** An entity's changes: `node` as the fake's GraphQL answers it (after the change), `before` as it was. */
  const changes =
    (type: string, dataOf: (n: Json) => Json, urlOf: (n: Json) => unknown) =>
    (action: LinearAction, node: Json, before?: Json) =>
      emit(type, action, dataOf(node), urlOf(node), before && dataOf(before));

  return {
    controls,
    issue: changes(
      'Issue',
      (n) => issueData(n as IssueNode, o.actor.id),
      (n) => n.url,
    ),
    project: changes(
      'Project',
      (n) => projectData(n as ProjectNode, o.actor.id),
      (n) => n.url,
    ),
    cycle: changes(
      'Cycle',
      (n) => cycleData(n as CycleNode),
      (n) => `https://linear.app/acme/team/${(n.team as { key: string }).key}/cycle/${n.number}`,
    ),
  };
};
