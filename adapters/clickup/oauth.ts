import * as z from 'zod/mini';
import { oauth2Flow } from '../oauth2';

/**
 * ClickUp's token endpoint is not RFC 6749's: the client id, client secret and code go as
 * query parameters of the POST (no grant_type, no redirect_uri), the answer is
 * `{ "access_token": "…" }` alone, and its errors are ClickUp's usual `{ err, ECODE }`.
 * Its tokens never expire and there is no refresh grant, so there is no `refreshToken`.
 * https://developer.clickup.com/reference/getaccesstoken
 */
const errorAnswer = z.object({ err: z.string(), ECODE: z.optional(z.string()) });

export const oauth = oauth2Flow({
  provider: 'ClickUp',
  encoding: 'query',
  omit: ['grant_type', 'redirect_uri'],
  readError: (body) => {
    const e = errorAnswer.safeParse(body).data;
    return e ? { message: e.err, ...(e.ECODE ? { error: e.ECODE } : {}) } : undefined;
  },
  refreshes: false,
});
