import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { WebhookRequest, WebhookVerified } from '../types';
import { type RoutingKey, routingKeys } from '../webhook-routing';
import { rawText, refuse, safeEqual, WebhookRefused } from '../webhook-signatures';

/**
 * Azure DevOps service hooks, Web Hooks consumer — shared by Azure DevOps and Azure Boards.
 * Azure DevOps signs nothing: a subscription authenticates itself with what it was configured
 * with, HTTP basic authentication (user name and password) and/or extra HTTP headers
 * (`Name: value` lines). The integration's `webhook_secret` is checked against either: the
 * basic password (any user name), or an `X-Webhook-Secret` header. Constant-time; a request
 * carrying neither, or one whose credential differs, is refused.
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/services/webhooks
 *
 * The body names the event (`eventType`), the event id (`id`, the same on every retry of the
 * notification) and where it happened (`resourceContainers`: the collection — the
 * organization — the account and the project, by id; newer payloads add each one's baseUrl).
 * https://learn.microsoft.com/en-us/azure/devops/service-hooks/events
 */

export const SECRET_HEADER = 'x-webhook-secret';

const basicPassword = (header: string | undefined): string | undefined => {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
};

const envelope = z.object({
  id: z.optional(z.string()),
  eventType: z.string().check(z.minLength(1)),
});

export const verifyServiceHook = (req: WebhookRequest, secret: string): WebhookVerified => {
  const password = basicPassword(req.headers.authorization);
  const header = req.headers[SECRET_HEADER];
  if (password === undefined && !header) refuse('missing credentials');
  // Every credential the request offers must match: a right header does not excuse a wrong password.
  if (password !== undefined && !safeEqual(password, secret)) refuse('password mismatch');
  if (header && !safeEqual(header, secret)) refuse('secret mismatch');
  let body: unknown;
  try {
    body = JSON.parse(rawText(req.rawBody));
  } catch {
    throw new WebhookRefused('unreadable body');
  }
  const e = envelope.safeParse(body);
  if (!e.success) throw new WebhookRefused('no eventType');
  return {
    kind: 'event',
    deliveryId: e.data.id || `sha256:${createHash('sha256').update(req.rawBody).digest('hex')}`,
    eventType: e.data.eventType,
  };
};

const container = z.optional(z.object({ id: z.string(), baseUrl: z.optional(z.string()) }));
const containers = z.object({
  resourceContainers: z.object({ collection: container, account: container, project: container }),
});

/** `https://dev.azure.com/fabrikam/` → `fabrikam` (also `https://fabrikam.visualstudio.com/`). */
const organizationIn = (baseUrl: string | undefined): string | undefined => {
  if (!baseUrl || !URL.canParse(baseUrl)) return undefined;
  const u = new URL(baseUrl);
  const first = u.pathname.split('/').filter(Boolean)[0];
  if (first) return decodeURIComponent(first);
  const sub = /^([^.]+)\.visualstudio\.com$/i.exec(u.hostname);
  return sub?.[1];
};

/** The organization the event happened in: its collection id, and its name when the payload says. */
export const routeServiceHook = (payload: unknown): RoutingKey[] => {
  const r = containers.safeParse(payload);
  if (!r.success) return [];
  const { collection } = r.data.resourceContainers;
  return routingKeys(['org', collection?.id], ['namespace', organizationIn(collection?.baseUrl)]);
};
