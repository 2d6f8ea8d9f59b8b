import { randomUUID } from 'node:crypto';
import { randomToken } from './server';

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

export type GraphDelivery = {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The receiver's status; 0 when it could not be reached in time; undefined while in flight. */
  status: number | undefined;
  response?: string;
};

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

export type TeamsNotificationControls = {
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
  /** Everything sent so far (validation requests included), in order. */
  deliveries(): GraphDelivery[];
  /** Sends delivery `i` again, as Graph retries: the same body. */
  redeliver(i: number): Promise<GraphDelivery>;
  /** Resolves once every delivery in flight was answered (or timed out). */
  webhooksSettled(): Promise<void>;
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
  const sent: GraphDelivery[] = [];
  // One at a time, in the order of the changes: a test reads them in that order.
  let queue: Promise<unknown> = Promise.resolve();
  let batched: Map<string, Item[]> | undefined;

  const post = (url: string, body: string, headers: Record<string, string>, timeout: number) => {
    const d: GraphDelivery = { url, headers, body, status: undefined };
    sent.push(d);
    const done = queue
      .then(() =>
        fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeout) }).then(
          async (r) => {
            d.status = r.status;
            d.response = await r.text();
          },
          () => {
            d.status = 0;
          },
        ),
      )
      .then(() => d);
    queue = done;
    return done;
  };
  const notify = (url: string, items: Item[]) =>
    void post(
      url,
      JSON.stringify({ value: items }),
      { 'content-type': 'application/json; charset=utf-8' },
      NOTIFY_TIMEOUT_MS,
    );
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
      const d = await post(
        target.toString(),
        '',
        { 'content-type': 'text/plain; charset=utf-8' },
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
    deliveries: () => sent,
    redeliver: (i) => {
      const d = sent[i];
      if (!d) throw new Error(`no delivery ${i}`);
      return post(d.url, d.body, d.headers, NOTIFY_TIMEOUT_MS);
    },
    webhooksSettled: async () => {
      let seen: Promise<unknown>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
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
