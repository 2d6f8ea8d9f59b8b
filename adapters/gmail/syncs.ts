import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { SyncContext, SyncPage, SyncsOf } from '../types';
import type { manifest } from './manifest';
import { type GmailMessage, isStateLabel, messageRecord, messageRecordId, messageRef } from './message';
import { getMessages, listMessageIds } from './read';
import { callApi, failure, userUrl } from './rest';
import { getProfile } from './verify';

/**
 * The `messages` sync, following Gmail's sync guide:
 * - a full run notes the mailbox's current `historyId` (users.getProfile) first, then walks
 *   messages.list pages (ids only), reading each page's messages with messages.get
 *   format=full; its last page returns `{ history_id, q }` as `cursor`. Noting the id before
 *   listing means a change made during the listing is replayed by the next run, never lost;
 * - an incremental run reads users.history.list from that id: the messages added, deleted
 *   or relabelled since, oldest change first, each message's last change winning; added or
 *   relabelled ones are read again (a message now in spam or trash counts as deleted, as the
 *   full listing leaves those out), deleted ones become `deletedIds`. The answer's
 *   `historyId` on the last page is the next cursor;
 * - Gmail keeps history for about a week, less at times: a `startHistoryId` it no longer
 *   has answers 404, and the run starts over as a full listing and says so with `resync`
 *   (the engine then deletes what the listing no longer returns);
 * - history cannot be narrowed by a search, so with `config.q` every run is a full listing
 *   (a narrowed mailbox is small), and a cursor made under another `q` is not used.
 * https://developers.google.com/workspace/gmail/api/guides/sync
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.history/list
 */

/** Ids a listing page holds: Gmail's default (at most 500); each is then one messages.get. */
const PAGE_SIZE = 100;
const HISTORY_PAGE_SIZE = 100;
/** What a full listing leaves out (includeSpamTrash=false); an incremental run deletes them too. */
const HIDDEN_LABELS = ['SPAM', 'TRASH'];

const checkpoint = z.union([
  z.object({
    phase: z.literal('list'),
    historyId: z.string().check(z.minLength(1)),
    pageToken: z.optional(z.string()),
  }),
  z.object({
    phase: z.literal('history'),
    startHistoryId: z.string().check(z.minLength(1)),
    pageToken: z.optional(z.string()),
  }),
]);
type Checkpoint = z.infer<typeof checkpoint>;

/** What a run hands the next: the mailbox's history id, and the search it listed under. */
const syncCursor = z.object({ history_id: z.string().check(z.minLength(1)), q: z.nullable(z.string()) });

const change = z.object({ message: messageRef });
/** labelsAdded / labelsRemoved: which labels changed. */
const labelChange = z.object({ message: messageRef, labelIds: z.optional(z.array(z.string())) });
const historyAnswer = z.object({
  history: z.optional(
    z.array(
      z.object({
        id: z.optional(z.string()),
        messagesAdded: z.optional(z.array(change)),
        messagesDeleted: z.optional(z.array(change)),
        labelsAdded: z.optional(z.array(labelChange)),
        labelsRemoved: z.optional(z.array(labelChange)),
      }),
    ),
  ),
  nextPageToken: z.optional(z.string()),
  /** The mailbox's current history id: the next run starts from it. */
  historyId: z.string(),
});

const searchOf = (ctx: SyncContext): string | null =>
  typeof ctx.config.q === 'string' && ctx.config.q.length > 0 ? ctx.config.q : null;

const usableCursor = (ctx: SyncContext): string | undefined => {
  if (ctx.mode !== 'incremental' || searchOf(ctx) !== null) return undefined;
  const r = syncCursor.safeParse(ctx.cursor);
  return r.success && r.data.q === null ? r.data.history_id : undefined;
};

const isHidden = (m: GmailMessage) => (m.labelIds ?? []).some((l) => HIDDEN_LABELS.includes(l));

/** One messages.list page, its messages read in full. */
const listingPage = async (
  ctx: SyncContext,
  state: Extract<Checkpoint, { phase: 'list' }>,
  resync: boolean,
): Promise<SyncPage> => {
  const q = searchOf(ctx);
  const answer = await listMessageIds(ctx, {
    maxResults: PAGE_SIZE,
    pageToken: state.pageToken,
    q: q ?? undefined,
  });
  // A message deleted between the listing and its read is simply not there: a full run
  // marks deleted whatever it does not return.
  const { found } = await getMessages(
    ctx,
    (answer.messages ?? []).map((m) => m.id),
    'full',
  );
  const page: SyncPage = { records: found.map(messageRecord), ...(resync ? { resync: true as const } : {}) };
  if (answer.nextPageToken !== undefined) {
    return { ...page, next: { phase: 'list', historyId: state.historyId, pageToken: answer.nextPageToken } };
  }
  return { ...page, cursor: { history_id: state.historyId, q } };
};

/** A full listing from its first page, noting the mailbox's history id first. */
const startListing = async (ctx: SyncContext, resync: boolean): Promise<SyncPage> => {
  const profile = await getProfile(ctx);
  return listingPage(ctx, { phase: 'list', historyId: profile.historyId }, resync);
};

/** One history page; undefined when Gmail no longer has history from that id (404). */
const historyPage = async (
  ctx: SyncContext,
  state: Extract<Checkpoint, { phase: 'history' }>,
): Promise<SyncPage | undefined> => {
  const query = new URLSearchParams({
    startHistoryId: state.startHistoryId,
    maxResults: String(HISTORY_PAGE_SIZE),
  });
  for (const t of ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'])
    query.append('historyTypes', t);
  if (state.pageToken) query.set('pageToken', state.pageToken);
  const res = await callApi(ctx, userUrl(ctx.baseUrl, 'history', query));
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw failure(res);
  const answer = parseAnswer('Gmail', historyAnswer, res, 'GET /users/me/history');

  // Oldest change first (Gmail's order): the last word on each message wins.
  const last = new Map<string, 'read' | 'deleted'>();
  for (const h of answer.history ?? []) {
    // Reading a mail (UNREAD removed) or starring it is the commonest change of all and
    // changes nothing a record holds: only a label that may be the channel, or spam and
    // trash, is worth reading the message again.
    const relabelled = [...(h.labelsAdded ?? []), ...(h.labelsRemoved ?? [])].filter(
      (c) => c.labelIds === undefined || c.labelIds.some((l) => !isStateLabel(l)),
    );
    for (const c of [...(h.messagesAdded ?? []), ...relabelled]) last.set(c.message.id, 'read');
    for (const c of h.messagesDeleted ?? []) last.set(c.message.id, 'deleted');
  }
  const toRead = [...last].filter(([, v]) => v === 'read').map(([id]) => id);
  const { found, gone } = await getMessages(ctx, toRead, 'full');
  const deleted = [
    ...[...last].filter(([, v]) => v === 'deleted').map(([id]) => id),
    // Added and deleted again before this run read it.
    ...gone,
    ...found.filter(isHidden).map((m) => m.id),
  ];
  const page: SyncPage = {
    records: found.filter((m) => !isHidden(m)).map(messageRecord),
    ...(deleted.length > 0 ? { deletedIds: deleted.map(messageRecordId) } : {}),
  };
  if (answer.nextPageToken !== undefined) {
    return { ...page, next: { ...state, pageToken: answer.nextPageToken } };
  }
  return { ...page, cursor: { history_id: answer.historyId, q: null } };
};

const fetchMessagesPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const resumed = checkpoint.safeParse(ctx.checkpoint);
  if (resumed.success && resumed.data.phase === 'list') return listingPage(ctx, resumed.data, false);
  if (resumed.success && resumed.data.phase === 'history') {
    return (await historyPage(ctx, resumed.data)) ?? startListing(ctx, true);
  }
  const from = usableCursor(ctx);
  // An incremental run without a usable cursor lists everything, as a full run does.
  if (from === undefined) return startListing(ctx, ctx.mode === 'incremental');
  return (await historyPage(ctx, { phase: 'history', startHistoryId: from })) ?? startListing(ctx, true);
};

export const syncs: SyncsOf<typeof manifest> = { messages: fetchMessagesPage };
