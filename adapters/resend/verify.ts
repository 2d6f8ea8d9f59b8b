import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { authHeaders, failure } from './rest';

/**
 * Resend has no "who am I": an API key belongs to a team, and the team's domains are the
 * cheapest authenticated read that says whose it is.
 *
 * - account id: the team's oldest domain's id — stable while that domain exists, and never
 *   derived from the key. A team without a domain (sending only as onboarding@resend.dev) has
 *   its oldest API key's id instead (`GET /api-keys` names every key of the team, not which
 *   one is calling; the oldest is as stable as it gets). Adding a first domain changes the id,
 *   so a reconnect after that makes a new connection.
 * - provider metadata: every domain's name, oldest first, as `domain_1_id`, `domain_2_id`, …
 *   Resend's events name no team, only the sender (`data.from`), so webhooks route by the
 *   sender's domain (webhook-keys.ts reads these keys as `domain:` routing keys). Kept as
 *   of connect time: a domain added later routes once the connection is reconnected.
 */

const MAX_DOMAINS = 100;

// https://resend.com/docs/api-reference/domains/list-domains (no `limit`: every domain at once)
const domains = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string(), created_at: z.string() })),
});

// https://resend.com/docs/api-reference/api-keys/list-api-keys
const apiKeys = z.object({
  data: z.array(z.object({ id: z.string(), name: z.string(), created_at: z.string() })),
});

const oldestFirst = <T extends { id: string; created_at: string }>(items: T[]): T[] =>
  [...items].sort(
    (a, b) => (Date.parse(a.created_at) || 0) - (Date.parse(b.created_at) || 0) || a.id.localeCompare(b.id),
  );

export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const headers = authHeaders(ctx.credentials);
  const res = await ctx.http(`${ctx.baseUrl}/domains`, { headers });
  if (res.status !== 200) throw failure(res);
  const owned = oldestFirst(parseAnswer('Resend', domains, res, 'GET /domains').data).slice(0, MAX_DOMAINS);
  const first = owned[0];
  if (first) {
    return {
      account: { id: first.id, name: first.name },
      metadata: Object.fromEntries(owned.map((d, i) => [`domain_${i + 1}_id`, d.name.toLowerCase()])),
    };
  }
  const keys = await ctx.http(`${ctx.baseUrl}/api-keys`, { headers });
  if (keys.status !== 200) throw failure(keys);
  const oldest = oldestFirst(parseAnswer('Resend', apiKeys, keys, 'GET /api-keys').data)[0];
  // The key in hand is one of them: an empty list is no answer Resend gives.
  if (!oldest) throw new ProviderError('unreachable', 'Resend answered GET /api-keys with no key.');
  return { account: { id: oldest.id, name: `Resend (no domain; key ${oldest.name})` } };
};
