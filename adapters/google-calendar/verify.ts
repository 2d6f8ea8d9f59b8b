import * as z from 'zod/mini';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';
import { callApi, failure } from './rest';

const calendar = z.object({
  id: z.string(),
  summary: z.optional(z.string()),
  timeZone: z.optional(z.string()),
});

/**
 * The user's primary calendar: its id is the account's email address, its summary the
 * name shown for it. Needs only a calendar scope, which the connection holds anyway.
 * https://developers.google.com/workspace/calendar/api/v3/reference/calendars/get
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const res = await callApi(ctx, `${ctx.baseUrl}/calendars/primary`);
  if (res.status !== 200) throw failure(res);
  const primary = parseAnswer('Google Calendar', calendar, res, 'GET /calendars/primary');
  return {
    account: { id: primary.id, name: primary.summary || primary.id },
    ...(primary.timeZone ? { metadata: { time_zone: primary.timeZone } } : {}),
  };
};
