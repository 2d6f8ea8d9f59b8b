import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { ActionContext, VerifiedAccount, VerifyContext } from '../types';
import { callApi, failure, userUrl } from './rest';

const profile = z.object({
  emailAddress: z.string().check(z.minLength(1)),
  messagesTotal: z.optional(z.number()),
  threadsTotal: z.optional(z.number()),
  /** The mailbox's current history id: where an incremental sync may start. */
  historyId: z.string().check(z.minLength(1)),
});

/**
 * The mailbox's profile: its address and current history id. Any Gmail scope may read it
 * (gmail.readonly, which the connection holds anyway), and it costs one quota unit.
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users/getProfile
 */
export const getProfile = async (ctx: Pick<ActionContext, 'credentials' | 'http' | 'baseUrl'>) => {
  const res = await callApi(ctx, userUrl(ctx.baseUrl, 'profile'));
  if (res.status !== 200) throw failure(res);
  return parseAnswer('Gmail', profile, res, 'GET /users/me/profile');
};

/** Who the token belongs to: the mailbox's address is its id and its name (Gmail has no other). */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const p = await getProfile(ctx);
  return { account: { id: p.emailAddress, name: p.emailAddress } };
};
