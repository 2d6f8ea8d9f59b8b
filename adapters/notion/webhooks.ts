import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookEffect, WebhookFunctions, WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, refuse, verifyHmacSha256Hex, WebhookRefused } from '../webhook-signatures';
import { databaseId, pageId } from './mapping';

/**
 * Notion's webhooks (integration webhook subscriptions).
 * https://developers.notion.com/reference/webhooks
 * https://developers.notion.com/reference/webhooks-events-delivery
 *
 * Verification handshake. When a subscription is created, Notion POSTs its
 * `{ "verification_token": "secret_…" }` to the URL once, unsigned; the operator pastes that
 * token into Notion's Verify dialog, and from then on it is the key of every signature. The
 * token is not known before it arrives, so the integration's `webhook_secret` starts as a
 * placeholder (any value; the receiver verifies nothing without one), and this request is
 * accepted as an event of type `verification`: it names no workspace, so the processor keeps
 * it in the integration's webhook events log (`status=unrouted`), its body — the token — for
 * the operator to read and paste, into Notion first (Notion accepts only the token it sent,
 * which is what proves the one read here genuine), then as the `webhook_secret`. An unsigned
 * request is accepted only in that shape, and only while the secret is not a verification
 * token yet (Notion's start with `secret_`): once the subscription is verified, every request
 * must be signed.
 *
 * Events: `X-Notion-Signature: sha256=<hex>`, HMAC-SHA256 of the raw body keyed with the
 * verification token. Notion signs no timestamp (the body's `timestamp` is when the change
 * happened, and a retry — up to 8 attempts over hours — keeps it), so there is no window to
 * check: a replay is stopped by the processor's claim on the event `id` (the delivery id,
 * the same on every attempt), kept 3 days.
 */

const verification = z.strictObject({
  verification_token: z.string().check(z.minLength(1), z.maxLength(500)),
});

const envelope = z.object({
  id: z.string().check(z.minLength(1)),
  type: z.string().check(z.minLength(1)),
  workspace_id: z.optional(z.string()),
  entity: z.optional(z.object({ id: z.string(), type: z.string() })),
});

const parsed = (req: WebhookRequest): unknown => {
  try {
    return JSON.parse(rawText(req.rawBody));
  } catch {
    throw new WebhookRefused('unreadable body');
  }
};

/** Notion's verification tokens are `secret_…`: a secret of that form is a verified subscription's. */
const isVerificationToken = (secret: string) => secret.startsWith('secret_');

const verify = (req: WebhookRequest, secret: string): WebhookVerified => {
  const signature = req.headers['x-notion-signature'];
  if (!signature) {
    const v = verification.safeParse(parsed(req)).data;
    if (!v || isVerificationToken(secret)) refuse('missing signature');
    // Named by a digest of the token, never the token: the delivery id is logged.
    const digest = createHash('sha256')
      .update((v as z.infer<typeof verification>).verification_token)
      .digest('hex')
      .slice(0, 32);
    return { kind: 'event', deliveryId: `verification:${digest}`, eventType: 'verification' };
  }
  verifyHmacSha256Hex(signature, secret, req.rawBody, 'sha256=');
  const e = envelope.safeParse(parsed(req)).data;
  if (!e) throw new WebhookRefused('not a Notion webhook event');
  return { kind: 'event', deliveryId: e.id, eventType: e.type };
};

/** Every event names the workspace it happened in. */
const route = (payload: unknown): RoutingKey[] => {
  const w = z.object({ workspace_id: z.string().check(z.minLength(1)) }).safeParse(payload);
  return routingKeys(['workspace', w.data?.workspace_id]);
};

const deleted = (sync: string, id: string): WebhookEffect => ({
  kind: 'records',
  sync,
  records: [],
  deletedIds: [id],
});

const event = z.object({ type: z.string(), entity: z.object({ id: z.string(), type: z.string() }) });

/**
 * Notion's events carry ids, never content ("the webhook acts as a signal that something
 * changed"): a change runs the sync of what changed, incrementally — newest edits first,
 * stopping at the last run, so it reads the changed page (and its excerpt) and little else.
 * A deletion names the page or database, which is all a deletion needs: its record goes at
 * once. A database's `content_updated` is about its rows, which are pages. A page restored
 * from the trash (`page.undeleted`) keeps its last edit time, so an incremental run may not
 * reach it: the next full run does. Comments change no record (passed on as provider.event).
 */
const apply: WebhookFunctions['apply'] = (payload) => {
  const e = event.safeParse(payload).data;
  if (!e) return undefined;
  if (e.type === 'page.deleted') return deleted('pages', pageId(e.entity.id));
  if (e.type === 'database.deleted') return deleted('databases', databaseId(e.entity.id));
  if (e.type === 'database.content_updated') return { kind: 'sync', syncs: ['pages'] };
  if (e.type.startsWith('page.')) return { kind: 'sync', syncs: ['pages'] };
  if (e.type.startsWith('database.')) return { kind: 'sync', syncs: ['databases'] };
  return undefined;
};

export const webhooks: WebhookFunctions = { verify, route, apply };
