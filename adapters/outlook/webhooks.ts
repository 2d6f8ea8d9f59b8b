import { type Item, itemsOf, verifyGraphNotification } from '../microsoft-teams/webhooks';
import type { WebhookEffect, WebhookFunctions } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { eventRecordId, messageRecordId } from './mapping';

/**
 * Microsoft Graph change notifications for the user's mail and calendar (subscriptions to
 * `me/messages` and `me/events`, or `me/mailFolders('inbox')/messages`). The handshake and
 * the checks are the Teams adapter's (adapters/microsoft-teams/webhooks.ts): Graph's
 * `validationToken` echoed as text/plain, then every item's `clientState` equal to the
 * integration's webhook secret. Items are basic notifications — the resource path
 * (`Users/{user-id}/Messages/{id}`) and the object's id, no data — so a deletion deletes the
 * record at once and any other change runs the sync, whose delta link reads just what changed.
 * https://learn.microsoft.com/en-us/graph/outlook-change-notifications-overview
 * https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
 * https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
 */

type Kind = 'message' | 'event' | 'other';

/** What an item is about: its `@odata.type`, else the shape of its resource path. */
const kindOf = (i: Item): Kind => {
  const type = i.resourceData?.['@odata.type']?.toLowerCase();
  if (type === '#microsoft.graph.message') return 'message';
  if (type === '#microsoft.graph.event') return 'event';
  const r = i.resource ?? '';
  if (/\/messages\b/i.test(r)) return 'message';
  if (/\/events\b/i.test(r)) return 'event';
  return 'other';
};

/** `message.created`, `event.deleted`, `lifecycle.missed`. */
const eventOf = (i: Item): string =>
  i.lifecycleEvent ? `lifecycle.${i.lifecycleEvent}` : `${kindOf(i)}.${i.changeType ?? 'unknown'}`;

/** The mailbox's user id in a resource path: `Users/{id}/Messages/{id}` (`me` is never written). */
const userOf = (i: Item): string | undefined => /^\/?users\/([^/]+)\//i.exec(i.resource ?? '')?.[1];

/**
 * A change goes to the connection of the mailbox it names (its user id, which the
 * connection's account is); a lifecycle item names no mailbox, only the subscription and the
 * tenant, so it goes to the tenant's connections.
 */
const route = (payload: unknown): RoutingKey[] =>
  routingKeys(
    ...(itemsOf(payload) ?? []).map((i) =>
      i.lifecycleEvent ? (['tenant', i.tenantId] as const) : (['user', userOf(i)] as const),
    ),
  );

const SYNC_OF: Record<'message' | 'event', string> = { message: 'messages', event: 'calendar_events' };
const RECORD_ID_OF = { message: messageRecordId, event: eventRecordId };

/**
 * Deletions alone delete their records; any other change (or a `missed` lifecycle event:
 * Graph dropped some) runs the syncs concerned. Reauthorization and removal lifecycle events
 * change no record: renewing the subscription is the subscriber's.
 */
const apply = (payload: unknown): WebhookEffect | undefined => {
  const syncs = new Set<string>();
  const deleted: Record<'message' | 'event', string[]> = { message: [], event: [] };
  for (const i of itemsOf(payload) ?? []) {
    if (i.lifecycleEvent) {
      if (i.lifecycleEvent === 'missed') syncs.add('messages').add('calendar_events');
      continue;
    }
    const kind = kindOf(i);
    if (kind === 'other') continue;
    const id = i.resourceData?.id;
    if (i.changeType === 'deleted' && id) deleted[kind].push(RECORD_ID_OF[kind](id));
    else syncs.add(SYNC_OF[kind]);
  }
  const deletions = (['message', 'event'] as const).filter((k) => deleted[k].length > 0);
  // One effect per event: with a sync to run, the sync's delta reads the deletions too.
  if (syncs.size > 0 || deletions.length > 1) {
    for (const k of deletions) syncs.add(SYNC_OF[k]);
    return { kind: 'sync', syncs: [...syncs].sort() };
  }
  const [only] = deletions;
  if (only) return { kind: 'records', sync: SYNC_OF[only], records: [], deletedIds: deleted[only] };
  return undefined;
};

export const webhooks: WebhookFunctions = {
  verify: verifyGraphNotification(eventOf),
  route,
  apply,
};
