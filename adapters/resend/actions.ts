import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type Message, message } from '../models';
import { parseAnswer } from '../parse';
import type { ActionContext, ActionsOf } from '../types';
import type { getEmailInput, manifest, sendEmailInput } from './manifest';
import { authHeaders, failure, isoOf } from './rest';

/**
 * Resend's tools answer an email as a `message` (adapters/models.ts) — the subject as its
 * text, the sender as its author, no channel, link or thread — under Resend's own email id,
 * which get_email takes back. get_email adds what the model has no field for beside it:
 * the recipients and the last delivery event.
 */

type MessageOut = Message & { id: string };

const messageOf = (id: string, m: { subject: string; from: string; createdAt: string }): MessageOut => {
  const r = message.safeParse({
    text: m.subject,
    channel: null,
    author: m.from,
    url: null,
    thread_id: null,
    created_at: m.createdAt,
  });
  if (!r.success) throw new ProviderError('unreachable', 'Resend answered an email that maps to no message.');
  return { id, ...r.data };
};

// https://resend.com/docs/api-reference/emails/send-email
const sent = z.object({ id: z.string().check(z.minLength(1)) });

// https://resend.com/docs/api-reference/emails/retrieve-email — an absent cc/bcc/reply_to is `[null]`.
const listed = z.optional(z.nullable(z.array(z.nullable(z.string()))));
const email = z.object({
  id: z.string(),
  from: z.string(),
  to: listed,
  cc: listed,
  bcc: listed,
  reply_to: listed,
  subject: z.string(),
  created_at: z.string(),
  last_event: z.optional(z.nullable(z.string())),
});

const present = (list: (string | null)[] | null | undefined): string[] =>
  (list ?? []).filter((a): a is string => typeof a === 'string' && a !== '');

/** When Resend took the email: its answer's Date header (POST /emails answers only the id). */
const acceptedAt = (date: string | null): string => {
  const t = date === null ? Number.NaN : Date.parse(date);
  return new Date(Number.isNaN(t) ? Date.now() : t).toISOString();
};

export const actions: ActionsOf<typeof manifest> = {
  send_email: async (ctx: ActionContext, input: z.infer<typeof sendEmailInput>) => {
    const res = await ctx.http(`${ctx.baseUrl}/emails`, {
      method: 'POST',
      headers: authHeaders(ctx.credentials),
      body: input,
    });
    if (res.status < 200 || res.status > 299) throw failure(res);
    const { id } = parseAnswer('Resend', sent, res, 'POST /emails');
    return {
      message: messageOf(id, {
        subject: input.subject,
        from: input.from,
        createdAt: acceptedAt(res.headers.get('date')),
      }),
    };
  },

  get_email: async (ctx: ActionContext, input: z.infer<typeof getEmailInput>) => {
    const res = await ctx.http(`${ctx.baseUrl}/emails/${encodeURIComponent(input.id)}`, {
      headers: authHeaders(ctx.credentials),
    });
    if (res.status !== 200) throw failure(res);
    const e = parseAnswer('Resend', email, res, 'GET /emails/{id}');
    return {
      message: {
        ...messageOf(e.id, {
          subject: e.subject,
          from: e.from,
          createdAt: isoOf(e.created_at, 'created_at'),
        }),
        to: present(e.to),
        cc: present(e.cc),
        bcc: present(e.bcc),
        reply_to: present(e.reply_to),
        last_event: e.last_event ?? null,
      },
    };
  },
};
