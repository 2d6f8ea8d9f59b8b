import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, refuse, safeEqual } from '../webhook-signatures';
import { fileId, toMessage } from './mapping';

/**
 * Figma webhooks (v2). No signature and no header: the JSON body of every event carries the
 * `passcode` given when the webhook was created, which is the integration's webhook secret.
 * It is compared in constant time — so, unlike a signature scheme, the body has to be parsed
 * to find it; it is parsed as JSON and nothing else before the comparison.
 * https://developers.figma.com/docs/rest-api/webhooks/
 * https://developers.figma.com/docs/rest-api/webhooks-events/
 *
 * Routing: Figma's events name the file and the webhook, never the team. So the webhook of a
 * team is registered with the passcode `<team_id>:<webhook_secret>` — the team id, a colon,
 * the secret — and the team is read from it once the secret part matched; a passcode of the
 * secret alone is accepted too, and its events are kept as unrouted (they name no team).
 * A passcode is a static secret that Figma echoes to one endpoint: whoever could forge the
 * team prefix holds the secret already.
 *
 * The passcode never goes further than `verify`: the body queued (and kept, listed, forwarded
 * as `provider.event`) is Figma's payload without it, with `team_id` from its prefix.
 *
 * Stale check: `timestamp` is when the event was triggered, and Figma retries a failed
 * delivery with the same one (after 5 minutes, 30 minutes and 3 hours), so it cannot be held
 * to a window of minutes; a replay is not stopped by it either (whoever saw a delivery has the
 * passcode and can write any timestamp). An event more than a day old, or more than 5 minutes
 * in the future, is refused as stale all the same: no delivery of Figma's is either.
 */

const DAY_MS = 86_400_000;
const SKEW_MS = 300_000;

const id = z.pipe(
  z.union([z.string(), z.number()]),
  z.transform((v) => String(v)),
);

const envelope = z.looseObject({
  event_type: z.string().check(z.minLength(1)),
  passcode: z.string(),
  timestamp: z.string(),
  webhook_id: id,
  file_key: z.optional(z.string()),
  comment_id: z.optional(id),
  version_id: z.optional(id),
});

const TEAM_PASSCODE = /^(\d{1,30}):([\s\S]+)$/;

const parseJson = (raw: string): unknown => {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
};

/** The team a matching passcode names; null when it is the secret alone. Refuses any other. */
const checkPasscode = (passcode: string, secret: string): string | null => {
  if (passcode === '') refuse('missing passcode');
  const prefixed = TEAM_PASSCODE.exec(passcode);
  // Both compared, whichever matches: a secret may itself start with digits and a colon.
  const whole = safeEqual(passcode, secret);
  const rest = prefixed ? safeEqual(prefixed[2] as string, secret) : false;
  if (rest && prefixed) return prefixed[1] as string;
  if (whole) return null;
  return refuse('passcode mismatch');
};

const verify = (req: WebhookRequest, secret: string, now: number): WebhookVerified => {
  const body = parseJson(rawText(req.rawBody));
  if (typeof body !== 'object' || body === null || !('passcode' in body)) refuse('missing passcode');
  const event = envelope.safeParse(body);
  if (!event.success) return refuse('not a Figma event');
  const { passcode, ...payload } = event.data;
  const team = checkPasscode(passcode, secret);
  const at = Date.parse(payload.timestamp);
  if (Number.isNaN(at) || at < now - DAY_MS || at > now + SKEW_MS) refuse('stale timestamp');
  // A retry repeats the event's fields (its `retries` count aside): they name the delivery.
  const subject = payload.comment_id ?? payload.version_id ?? payload.file_key ?? '';
  return {
    kind: 'event',
    deliveryId: `${payload.webhook_id}:${payload.event_type}:${payload.timestamp}:${subject}`,
    eventType: payload.event_type,
    body: JSON.stringify(team === null ? payload : { ...payload, team_id: team }),
  };
};

const routed = z.object({ team_id: z.string() });

/** The team the passcode named (verify wrote it into the queued body as `team_id`). */
const route = (payload: unknown): RoutingKey[] =>
  routingKeys(['team', routed.safeParse(payload).data?.team_id]);

// FILE_COMMENT: `comment` is the text in fragments (`{text}` or `{mention: <user id>}`, the
// mentioned users in `mentions`), `triggered_by` who wrote it, `parent_id` the comment replied to.
// https://developers.figma.com/docs/rest-api/webhooks-events/#file_comment-payload
const user = z.object({ id: id, handle: z.string() });
const fileComment = z.object({
  file_key: z.string(),
  comment_id: id,
  parent_id: z.optional(z.nullable(id)),
  created_at: z.string(),
  comment: z.array(z.object({ text: z.optional(z.string()), mention: z.optional(id) })),
  mentions: z.optional(z.array(user)),
  triggered_by: z.optional(user),
});
const fileDeleted = z.object({ file_key: z.string() });

const syncFiles: WebhookEffect = { kind: 'sync', syncs: ['files'] };

/** The comment's text as Figma's REST API writes it: fragments joined, a mention as `@handle`. */
const textOf = (c: z.infer<typeof fileComment>): string => {
  const handles = new Map((c.mentions ?? []).map((m) => [m.id, m.handle]));
  return c.comment
    .map((f) => f.text ?? (f.mention === undefined ? '' : `@${handles.get(f.mention) ?? f.mention}`))
    .join('');
};

const apply: WebhookFunctions['apply'] = (payload, eventType, connection) => {
  // A connection narrowed to some projects: the event names the file, not its project, so
  // the sync decides (it reads only those projects).
  const narrowed = Array.isArray(connection?.config.project_ids);
  switch (eventType) {
    case 'FILE_COMMENT': {
      const c = fileComment.safeParse(payload).data;
      if (!c) return undefined;
      if (narrowed) return { kind: 'sync', syncs: ['comments'] };
      const record = toMessage({
        id: c.comment_id,
        fileKey: c.file_key,
        text: textOf(c),
        author: c.triggered_by?.handle ?? null,
        parentId: c.parent_id || null,
        createdAt: c.created_at,
      });
      return { kind: 'records', sync: 'comments', records: [record], deletedIds: [] };
    }
    case 'FILE_DELETE': {
      const f = fileDeleted.safeParse(payload).data;
      if (!f) return undefined;
      // Deleting the record of a file this connection never synced changes nothing.
      return { kind: 'records', sync: 'files', records: [], deletedIds: [fileId(f.file_key)] };
    }
    // The payload names the file and its new name only: the sync reads the rest.
    case 'FILE_UPDATE':
    case 'FILE_VERSION_UPDATE':
      return syncFiles;
    default:
      // PING (sent when a webhook is created) changes nothing.
      return undefined;
  }
};

export const webhooks: WebhookFunctions = { verify, route, apply };
