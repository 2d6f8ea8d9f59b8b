import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, verifySharedToken, WebhookRefused } from '../webhook-signatures';
import { channelRecordId } from './syncs';

/**
 * Microsoft Graph change notifications for Teams resources (`/teams`, `/teams/getAllChannels`,
 * `…/messages`). Creating a subscription, Graph first POSTs `?validationToken=…` and wants it
 * back as text/plain within 10 seconds (that request carries nothing to verify). Each
 * notification then holds one or more items, each with the `clientState` given at
 * subscription: all must equal the integration's webhook secret. The items carry no data
 * (basic notifications): the syncs read the channels and teams again.
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 * https://learn.microsoft.com/en-us/graph/teams-changenotifications-channel
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */

/** One item of a change notification (Outlook's notifications share it, adapters/outlook). */
export const item = z.object({
  subscriptionId: z.string().check(z.minLength(1)),
  clientState: z.optional(z.nullable(z.string())),
  changeType: z.optional(z.string()),
  resource: z.optional(z.string()),
  resourceData: z.optional(
    z.nullable(z.object({ id: z.optional(z.string()), '@odata.type': z.optional(z.string()) })),
  ),
  tenantId: z.optional(z.string()),
  /** Lifecycle notifications: reauthorizationRequired, subscriptionRemoved, missed. */
  lifecycleEvent: z.optional(z.string()),
  subscriptionExpirationDateTime: z.optional(z.string()),
});
export type Item = z.infer<typeof item>;

const notification = z.object({ value: z.array(item).check(z.minLength(1)) });

/** Graph's tokens are short; anything long is not a validation request worth echoing. */
const MAX_TOKEN = 2048;

type Kind = 'team' | 'channel' | 'chatMessage' | 'other';

/** What an item is about: its `@odata.type`, else the shape of its resource path. */
const kindOf = (i: Item): Kind => {
  const type = i.resourceData?.['@odata.type']?.toLowerCase();
  if (type === '#microsoft.graph.channel') return 'channel';
  if (type === '#microsoft.graph.team') return 'team';
  if (type === '#microsoft.graph.chatmessage') return 'chatMessage';
  const r = i.resource ?? '';
  if (/\/messages\b|getAllMessages/i.test(r)) return 'chatMessage';
  if (/channels\b|getAllChannels/i.test(r)) return 'channel';
  if (/^\/?teams\b/i.test(r)) return 'team';
  return 'other';
};

/** `channel.created`, `team.deleted`, `lifecycle.missed`. */
const eventOf = (i: Item): string =>
  i.lifecycleEvent ? `lifecycle.${i.lifecycleEvent}` : `${kindOf(i)}.${i.changeType ?? 'unknown'}`;

/**
 * Graph names no delivery, and redelivers the same items: their subscription, change,
 * resource and object, sorted, hashed. A lifecycle item repeats for its subscription, so its
 * subscription's expiry tells one from the next.
 */
export const deliveryIdOf = (items: Item[]): string =>
  createHash('sha256')
    .update(
      items
        .map((i) =>
          JSON.stringify([
            i.subscriptionId,
            i.lifecycleEvent ? `${i.lifecycleEvent}@${i.subscriptionExpirationDateTime ?? ''}` : i.changeType,
            i.resource ?? '',
            i.resourceData?.id ?? '',
          ]),
        )
        .sort()
        .join('\n'),
    )
    .digest('hex');

export const itemsOf = (body: unknown): Item[] | undefined => notification.safeParse(body).data?.value;

/**
 * Graph's validation handshake and clientState check, the event named by `eventOf`: shared by
 * every Graph provider (Teams here, Outlook), each naming its own events.
 */
export const verifyGraphNotification =
  (eventOf: (i: Item) => string) =>
  (req: WebhookRequest, secret: string): WebhookVerified => {
    const token = req.query.validationToken;
    if (token !== undefined) {
      if (token === '' || token.length > MAX_TOKEN) throw new WebhookRefused('malformed validation token');
      // The receiver hands query values decoded; Graph wants the token exactly as it chose it.
      return { kind: 'handshake', status: 200, contentType: 'text/plain', body: token };
    }
    let body: unknown;
    try {
      body = JSON.parse(rawText(req.rawBody));
    } catch {
      throw new WebhookRefused('unreadable body');
    }
    const items = itemsOf(body);
    if (!items) throw new WebhookRefused('not a change notification');
    // One item with another clientState and the whole request is someone else's.
    for (const i of items) verifySharedToken(i.clientState ?? undefined, secret);
    return {
      kind: 'event',
      deliveryId: deliveryIdOf(items),
      eventType: [...new Set(items.map(eventOf))].sort().join(','),
    };
  };

const verify = verifyGraphNotification(eventOf);

/** The Entra tenant of each item. */
const route = (payload: unknown): RoutingKey[] =>
  routingKeys(...(itemsOf(payload) ?? []).map((i) => ['tenant', i.tenantId] as const));

/**
 * Channels: a deleted channel's record is deleted at once; any other change runs the channels
 * sync. Teams: the teams sync, and the channels sync too (a channel's parent is its team's
 * name, and a team's channels go with it). `missed` notifications: both. Messages: no sync
 * holds them.
 */
const apply = (payload: unknown): WebhookEffect | undefined => {
  const syncs = new Set<string>();
  const deletedIds: string[] = [];
  for (const i of itemsOf(payload) ?? []) {
    if (i.lifecycleEvent) {
      if (i.lifecycleEvent === 'missed') syncs.add('teams').add('channels');
      continue;
    }
    const kind = kindOf(i);
    if (kind === 'team') syncs.add('teams').add('channels');
    if (kind !== 'channel') continue;
    const id = i.resourceData?.id;
    if (i.changeType === 'deleted' && id) deletedIds.push(channelRecordId(id));
    else syncs.add('channels');
  }
  if (syncs.size > 0) {
    // A full channels run marks the deleted ones too.
    if (deletedIds.length > 0) syncs.add('channels');
    return { kind: 'sync', syncs: [...syncs].sort() };
  }
  if (deletedIds.length > 0) return { kind: 'records', sync: 'channels', records: [], deletedIds };
  return undefined;
};

export const webhooks: WebhookFunctions = { verify, route, apply };
