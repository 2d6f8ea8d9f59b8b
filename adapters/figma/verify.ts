import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { teamProjects, teamsOf } from './listing';
import { authHeaders, failure } from './rest';

// https://developers.figma.com/docs/rest-api/users-endpoints/#get-me-endpoint
const me = z.object({ id: z.string(), handle: z.string(), email: z.optional(z.string()) });

/**
 * Who the token is (GET /v1/me), then each team of config.team_ids read once: a team id that
 * is wrong, or that this user cannot see, is refused now rather than at the first sync.
 *
 * Provider metadata keeps the teams as `team_<n>_id` (in config order): Figma's webhook
 * events name no team, and webhooks.ts routes an event by the team its passcode names to the
 * connections holding that team (`team:` routing keys, webhook-keys.ts). Kept as of connect
 * time: a team added to config later routes once the connection is reconnected.
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  // https://developers.figma.com/docs/rest-api/users-endpoints/#get-me-endpoint
  const res = await ctx.http(`${ctx.baseUrl}/v1/me`, { headers: authHeaders(ctx.credentials) });
  if (res.status !== 200) throw failure(res);
  const user = parseAnswer('Figma', me, res, 'GET /v1/me');
  const teams = teamsOf(ctx.config);
  const metadata: Record<string, string> = {};
  for (const [i, team] of teams.entries()) {
    const { team: name } = await teamProjects(ctx, team);
    metadata[`team_${i + 1}_id`] = team;
    if (name) metadata[`team_${i + 1}_name`] = name;
  }
  return { account: { id: user.id, name: user.email ?? user.handle }, metadata };
};
