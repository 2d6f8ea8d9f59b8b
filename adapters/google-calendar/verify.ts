import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import type { HttpResponse } from '../http';
import { parseAnswer } from '../parse';
import type { VerifiedAccount, VerifyContext } from '../types';

const calendar = z.object({
  id: z.string(),
  summary: z.optional(z.string()),
  timeZone: z.optional(z.string()),
});

// Google API errors: {"error": {"code": 401, "message": "…", "errors": […], "status": "UNAUTHENTICATED"}}
// https://cloud.google.com/apis/design/errors#http_mapping
const googleError = z.object({
  error: z.object({ code: z.optional(z.number()), message: z.string(), status: z.optional(z.string()) }),
});

const failure = (res: HttpResponse): ProviderError => {
  const message = googleError.safeParse(res.jsonOrUndefined()).data?.error.message;
  return new ProviderError('rejected', message ?? `Google Calendar answered ${res.status}.`, {
    status: res.status,
  });
};

/**
 * The user's primary calendar: its id is the account's email address, its summary the
 * name shown for it. Needs only a calendar scope, which the connection holds anyway.
 * https://developers.google.com/workspace/calendar/api/v3/reference/calendars/get
 */
export const verifyCredentials = async (ctx: VerifyContext): Promise<VerifiedAccount> => {
  const c = ctx.credentials;
  if (c.type !== 'oauth2') {
    throw new ProviderError('rejected', `Google Calendar does not accept ${c.type} credentials.`);
  }
  const res = await ctx.http(`${ctx.baseUrl}/calendars/primary`, {
    headers: { authorization: `Bearer ${c.access_token}` },
  });
  if (res.status !== 200) throw failure(res);
  const primary = parseAnswer('Google Calendar', calendar, res, 'GET /calendars/primary');
  return {
    account: { id: primary.id, name: primary.summary || primary.id },
    ...(primary.timeZone ? { metadata: { time_zone: primary.timeZone } } : {}),
  };
};
