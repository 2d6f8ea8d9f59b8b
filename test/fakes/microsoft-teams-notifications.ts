import { randomUUID } from 'node:crypto';
import { randomToken } from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * Microsoft Graph change notifications for the Teams fake. `registerWebhook` subscribes as
 * POST /subscriptions does: Graph first POSTs `{notificationUrl}?validationToken=<token>`
 * (text/plain, empty body) and creates the subscription only if the token comes back as
 * text/plain within 10 seconds. Then each change to a subscribed resource is POSTed as
 * `{"value": [{subscriptionId, subscriptionExpirationDateTime, changeType, resource,
 * resourceData: {@odata.type, @odata.id, id}, clientState, tenantId}]}` — basic
 * notifications, no resource data beyond the id; several changes may share one POST
 * (`batch`). Graph wants a 2xx within 3 seconds and retries otherwise (`redeliver`), with the
 * same body. Lifecycle notifications (`missed`, `reauthorizationRequired`,
 * `subscriptionRemoved`) carry `lifecycleEvent` instead of a change.
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 * https://learn.microsoft.com/en-us/graph/teams-changenotifications-team-and-channel
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */

export type GraphSubscription = {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  clientState: string;
  expirationDateTime: string;
};

export type ChangeKind = 'team' | 'channel' | 'chatMessage';
export type ChangeType = 'created' | 'updated' | 'deleted';
export type Changed = (
  kind: ChangeKind,
  changeType: ChangeType,
  ids: { teamId: string; channelId?: string; messageId?: string },
) => void;

/** Deliveries include the validation requests; a redelivery is Graph's retry: the same body. */
export type TeamsNotificationControls = WebhookOutboxControls & {
  /**
   * Subscribes `url` to `resources` (default `/teams` and `/teams/getAllChannels`) for
   * created, updated and deleted changes, after Graph's validation request; throws when the
   * URL does not echo the token, as Graph refuses the subscription then.
   */
  registerWebhook(
    url: string,
    clientState: string,
    o?: { resources?: string[] },
  ): Promise<GraphSubscription[]>;
  /** The changes made in `fn` go out together, one POST a notification URL. */
  batch(fn: () => void): void;
  /** A lifecycle notification for every subscription. */
  lifecycle(event: 'missed' | 'reauthorizationRequired' | 'subscriptionRemoved'): void;
};

const NOTIFY_TIMEOUT_MS = 3000;
const VALIDATION_TIMEOUT_MS = 10_000;

type Item = Record<string, unknown>;

/** Whether a subscription's resource covers a change (the ones the Teams docs list). */
const covers = (resource: string, kind: ChangeKind, ids: Parameters<Changed>[2]): boolean => {
  const r = resource.replace(/^\//, '');
  if (kind === 'team') return r === 'teams';
  if (kind === 'channel') return r === 'teams/getAllChannels' || r === `teams/${ids.teamId}/channels`;
  return r === 'teams/getAllMessages' || r === `teams/${ids.teamId}/channels/${ids.channelId}/messages`;
};

/** The resource path of a change, and its @odata.type, as Graph writes them. */
const resourceOf = (kind: ChangeKind, ids: Parameters<Changed>[2]) => {
  const team = `teams('${ids.teamId}')`;
  const channel = `${team}/channels('${ids.channelId}')`;
  if (kind === 'team') return { path: team, type: '#Microsoft.Graph.team', id: ids.teamId };
  if (kind === 'channel') return { path: channel, type: '#Microsoft.Graph.channel', id: ids.channelId };
  return {
    path: `${channel}/messages('${ids.messageId}')`,
    type: '#Microsoft.Graph.chatMessage',
    id: ids.messageId,
  };
};

export const createTeamsNotifier = (o: {
  tenantId: string;
}): TeamsNotificationControls & { changed: Changed } => {
  const subscriptions: GraphSubscription[] = [];
  const outbox = createWebhookOutbox({ timeoutMs: NOTIFY_TIMEOUT_MS });
  let batched: Map<string, Item[]> | undefined;

  const notify = (url: string, items: Item[]) =>
    void outbox.send({
      url,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ value: items }),
    });
  const send = (s: GraphSubscription, item: Item) => {
    if (batched) batched.set(s.notificationUrl, [...(batched.get(s.notificationUrl) ?? []), item]);
    else notify(s.notificationUrl, [item]);
  };
  const base = (s: GraphSubscription) => ({
    subscriptionId: s.id,
    subscriptionExpirationDateTime: s.expirationDateTime,
    clientState: s.clientState,
    tenantId: o.tenantId,
  });

  return {
    registerWebhook: async (url, clientState, opts = {}) => {
      // https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notificationurl-validation
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()} ${randomToken(8)}`;
      const target = new URL(url);
      target.searchParams.set('validationToken', token);
      const d = await outbox.send(
        { url: target.toString(), headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '' },
        VALIDATION_TIMEOUT_MS,
      );
      if (d.status !== 200 || d.response !== token) {
        throw new Error(
          `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request (got ${d.status}).`,
        );
      }
      const expirationDateTime = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const made = (opts.resources ?? ['/teams', '/teams/getAllChannels']).map((resource) => ({
        id: randomUUID(),
        resource,
        changeType: 'created,updated,deleted',
        notificationUrl: url,
        clientState,
        expirationDateTime,
      }));
      subscriptions.push(...made);
      return made;
    },
    ...outbox.controls,
    batch: (fn) => {
      batched = new Map();
      try {
        fn();
      } finally {
        const out = batched;
        batched = undefined;
        for (const [url, items] of out) notify(url, items);
      }
    },
    lifecycle: (lifecycleEvent) => {
      for (const s of subscriptions) send(s, { ...base(s), lifecycleEvent });
    },
    changed: (kind, changeType, ids) => {
      const r = resourceOf(kind, ids);
      for (const s of subscriptions) {
        if (!covers(s.resource, kind, ids) || !s.changeType.split(',').includes(changeType)) continue;
        send(s, {
          ...base(s),
          changeType,
          resource: r.path,
          resourceData: { '@odata.type': r.type, '@odata.id': r.path, id: r.id },
        });
      }
    },
  };
};
