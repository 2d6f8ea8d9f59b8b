import * as z from 'zod/mini';
import type { SyncContext, SyncPage, SyncRecord, SyncsOf } from '../types';
import { listChannels } from './conversations';
import type { manifest } from './manifest';
import { listUsers } from './users';

/**
 * Slack's syncs: channels and users, one cursor page per `fetchPage`. Neither list can be
 * asked for what changed since a time, so both run full; the engine marks what a full run no
 * longer returns deleted. Slack recommends pages of at most 200.
 * https://docs.slack.dev/apis/web-api/pagination
 */
const LIMIT = 200;

/** Record ids, shared with the webhooks that upsert or delete the same records. */
export const channelRecordId = (slackId: string) => `slack_channel_${slackId}`;
export const userRecordId = (slackId: string) => `slack_user_${slackId}`;

const checkpoint = z.object({ cursor: z.string().check(z.minLength(1)) });

/** The stored cursor; anything unreadable starts over. */
const cursorOf = (ctx: SyncContext): string | undefined => checkpoint.safeParse(ctx.checkpoint).data?.cursor;

const page = (records: SyncRecord[], next: string | undefined): SyncPage =>
  next === undefined ? { records } : { records, next: { cursor: next } };

/** `config.channels`: ids or names (with or without `#`), matched as Slack does, case-insensitively. */
const narrowing = (ctx: SyncContext): ((c: { slackId: string; name: string }) => boolean) => {
  const wanted = Array.isArray(ctx.config.channels)
    ? ctx.config.channels
        .filter((s): s is string => typeof s === 'string')
        .map((s) => s.replace(/^#/, '').toLowerCase())
    : [];
  if (wanted.length === 0) return () => true;
  return (c) => wanted.includes(c.slackId.toLowerCase()) || wanted.includes(c.name.toLowerCase());
};

const fetchChannelsPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const listed = await listChannels(ctx, { cursor: cursorOf(ctx), limit: LIMIT, excludeArchived: false });
  const keep = narrowing(ctx);
  const records = listed.channels
    .filter(keep)
    .map(({ slackId, ...data }) => ({ id: channelRecordId(slackId), data }));
  return page(records, listed.next);
};

const fetchUsersPage = async (ctx: SyncContext): Promise<SyncPage> => {
  const listed = await listUsers(ctx, { cursor: cursorOf(ctx), limit: LIMIT });
  const records = listed.users.map(({ slackId, ...data }) => ({ id: userRecordId(slackId), data }));
  return page(records, listed.next);
};

export const syncs: SyncsOf<typeof manifest> = {
  channels: fetchChannelsPage,
  users: fetchUsersPage,
};
