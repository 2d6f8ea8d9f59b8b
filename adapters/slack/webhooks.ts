import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, WebhookRefused } from '../webhook-signatures';
import { verifySlackV0 } from '../webhook-slack';
import { channelRecordId, userRecordId } from './syncs';
import { mapUser, member } from './users';

/**
 * Slack's Events API (and, on the same signing secret, interactivity and slash commands).
 * Every request is signed: `X-Slack-Signature: v0=<hex HMAC of "v0:{ts}:{body}">` with
 * `X-Slack-Request-Timestamp` within 5 minutes. A retry (`X-Slack-Retry-Num`) repeats the body,
 * so its `event_id` names the delivery.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack
 * https://docs.slack.dev/apis/events-api/
 */

const handshake = z.object({ type: z.literal('url_verification'), challenge: z.string() });

const callback = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().check(z.minLength(1)),
  event: z.object({ type: z.string().check(z.minLength(1)) }),
});

// Sent instead of events while the app is over its 30,000 events an hour.
// https://docs.slack.dev/apis/events-api/#rate-limiting
const rateLimited = z.object({
  type: z.literal('app_rate_limited'),
  team_id: z.string(),
  minute_rate_limited: z.number(),
});

const parseJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
};

/**
 * Interactivity (`payload=<json>`) and slash commands (`command=…`) come form-encoded, carry
 * no id and are never retried: the signed timestamp and signature name them.
 */
const formEvent = (req: WebhookRequest): WebhookVerified => {
  const form = new URLSearchParams(rawText(req.rawBody));
  const payload = form.get('payload');
  const type =
    payload === null ? undefined : z.object({ type: z.string() }).safeParse(parseJson(payload)).data?.type;
  const command = form.get('command');
  const eventType = type ? `interactive:${type}` : command ? `slash_command:${command}` : undefined;
  if (!eventType) throw new WebhookRefused('unreadable body');
  const signed = `${req.headers['x-slack-request-timestamp']}:${req.headers['x-slack-signature']}`;
  return { kind: 'event', deliveryId: createHash('sha256').update(signed).digest('hex'), eventType };
};

const verify = (req: WebhookRequest, secret: string, now: number): WebhookVerified => {
  verifySlackV0(
    req.headers['x-slack-signature'],
    req.headers['x-slack-request-timestamp'],
    secret,
    req.rawBody,
    now,
  );
  const body = parseJson(rawText(req.rawBody));
  if (body === undefined) return formEvent(req);
  // Setting the Request URL: echo the challenge (signed like any other request).
  const hello = handshake.safeParse(body);
  if (hello.success) {
    return { kind: 'handshake', status: 200, contentType: 'text/plain', body: hello.data.challenge };
  }
  const event = callback.safeParse(body);
  if (event.success) {
    return {
      kind: 'event',
      deliveryId: event.data.event_id,
      eventType: `event_callback:${event.data.event.type}`,
    };
  }
  const limited = rateLimited.safeParse(body);
  if (limited.success) {
    const { team_id, minute_rate_limited } = limited.data;
    return {
      kind: 'event',
      deliveryId: `app_rate_limited:${team_id}:${minute_rate_limited}`,
      eventType: 'app_rate_limited',
    };
  }
  throw new WebhookRefused('not an Events API request');
};

const id = z.optional(z.nullable(z.string()));
const routing = z.object({
  team_id: id,
  enterprise_id: id,
  // Interactivity payloads name the workspace as an object.
  team: z.optional(z.nullable(z.object({ id }))),
  enterprise: z.optional(z.nullable(z.object({ id }))),
  authorizations: z.optional(
    z.array(z.object({ team_id: id, enterprise_id: id, is_enterprise_install: z.optional(z.boolean()) })),
  ),
});

/**
 * The workspaces the event is for (`team_id`, each installation in `authorizations`): what
 * a connection keeps as `team_id`. An Enterprise Grid id names every workspace of the grid,
 * so it routes only org-wide installs (or an event that names no workspace).
 * https://docs.slack.dev/apis/events-api/#callback-field
 */
const route = (payload: unknown): RoutingKey[] => {
  const p = routing.safeParse(payload).data;
  if (!p) return [];
  const teams = [p.team_id, p.team?.id, ...(p.authorizations ?? []).map((a) => a.team_id)];
  const orgWide = (p.authorizations ?? []).filter((a) => a.is_enterprise_install).map((a) => a.enterprise_id);
  const grids = teams.some(Boolean) ? orgWide : [p.enterprise_id, p.enterprise?.id, ...orgWide];
  return routingKeys(
    ...teams.map((t) => ['team', t] as const),
    ...grids.map((e) => ['enterprise', e] as const),
  );
};

/**
 * Events that change a channel record. Their payloads are partial (no member count, no
 * purpose; the channel's link needs the workspace address kept on the connection), so the
 * channels sync reads the channel again. `group_*` are the private-channel variants.
 * https://docs.slack.dev/reference/events
 */
const CHANNEL_CHANGES = new Set([
  'channel_created',
  'channel_rename',
  'channel_archive',
  'channel_unarchive',
  'channel_shared',
  'channel_unshared',
  'group_rename',
  'group_archive',
  'group_unarchive',
  'member_joined_channel',
  'member_left_channel',
]);
const CHANNEL_DELETIONS = new Set(['channel_deleted', 'group_deleted']);
// Both carry the full user object, as users.list answers it.
const USER_CHANGES = new Set(['user_change', 'team_join']);

const eventOf = z.object({
  type: z.literal('event_callback'),
  event: z.object({
    type: z.string(),
    channel: z.optional(z.unknown()),
    user: z.optional(z.unknown()),
    // tokens_revoked: `{ oauth: [user ids], bot: [bot user ids] }`.
    tokens: z.optional(z.object({ bot: z.optional(z.array(z.string())) })),
  }),
});

const apply = (payload: unknown): WebhookEffect | undefined => {
  const event = eventOf.safeParse(payload).data?.event;
  if (!event) return undefined;
  // The app was removed from the workspace: every token of the install is revoked.
  // https://docs.slack.dev/reference/events/app_uninstalled
  if (event.type === 'app_uninstalled')
    return { kind: 'disconnect', reason: 'The Slack app was uninstalled.' };
  // The bot token — the connection's own — was revoked; user tokens alone leave it working.
  // https://docs.slack.dev/reference/events/tokens_revoked
  if (event.type === 'tokens_revoked') {
    return event.tokens?.bot?.length
      ? { kind: 'disconnect', reason: "The Slack app's bot token was revoked." }
      : undefined;
  }
  if (CHANNEL_DELETIONS.has(event.type)) {
    return typeof event.channel === 'string'
      ? { kind: 'records', sync: 'channels', records: [], deletedIds: [channelRecordId(event.channel)] }
      : { kind: 'sync', syncs: ['channels'] };
  }
  if (CHANNEL_CHANGES.has(event.type)) return { kind: 'sync', syncs: ['channels'] };
  if (USER_CHANGES.has(event.type)) {
    const m = member.safeParse(event.user);
    if (!m.success) return { kind: 'sync', syncs: ['users'] };
    return {
      kind: 'records',
      sync: 'users',
      records: [{ id: userRecordId(m.data.id), data: mapUser(m.data) }],
      deletedIds: [],
    };
  }
  // Messages and the rest: no sync holds them; the event is still passed on to the tenant.
  return undefined;
};

export const webhooks: WebhookFunctions = { verify, route, apply };
