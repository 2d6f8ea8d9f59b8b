import * as z from 'zod/mini';
import type { VerifiedAccount, VerifyContext } from '../types';
import { clickupCall } from './rest';

const answer = z.object({
  user: z.object({ id: z.number(), username: z.nullable(z.string()), email: z.optional(z.string()) }),
});

// https://developer.clickup.com/reference/getauthorizeduser
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const { user } = await clickupCall(ctx, { path: '/user', call: 'GET /user', schema: answer });
  return {
    account: { id: String(user.id), name: user.username || user.email || String(user.id) },
  };
};
