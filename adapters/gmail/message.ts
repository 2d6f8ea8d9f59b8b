import * as z from 'zod/mini';
import { ProviderError } from '../errors';
import { type Message, message } from '../models';
import type { SyncRecord } from '../types';

/**
 * Gmail's Message resource, as far as the mapping reads it (format=full or metadata):
 * headers and the MIME tree in `payload`, bodies base64url-encoded in `body.data`.
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages#Message
 * https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.messages#MessagePart
 */
const messagePart = z.object({
  mimeType: z.optional(z.string()),
  filename: z.optional(z.string()),
  headers: z.optional(z.array(z.object({ name: z.string(), value: z.string() }))),
  body: z.optional(z.object({ data: z.optional(z.string()), attachmentId: z.optional(z.string()) })),
  get parts() {
    return z.optional(z.array(messagePart));
  },
});
type MessagePart = z.infer<typeof messagePart>;

export const gmailMessage = z.object({
  id: z.string().check(z.minLength(1)),
  threadId: z.optional(z.string()),
  labelIds: z.optional(z.array(z.string())),
  snippet: z.optional(z.string()),
  historyId: z.optional(z.string()),
  /** Milliseconds since the epoch, as a string (int64): when Gmail received the message. */
  internalDate: z.optional(z.string()),
  payload: z.optional(messagePart),
});
export type GmailMessage = z.infer<typeof gmailMessage>;

/** A message's own id and thread, as messages.list and history.list name it. */
export const messageRef = z.object({
  id: z.string().check(z.minLength(1)),
  threadId: z.optional(z.string()),
});

/** How much of a body a record keeps: enough to read and search, not a 20 MB newsletter. */
export const TEXT_CAP = 10_000;

/** The headers the mapping reads: what format=metadata is asked for. */
export const METADATA_HEADERS = ['From', 'To', 'Cc', 'Bcc', 'Subject'];

export const messageRecordId = (id: string): string => `gmail_message_${id}`;

const header = (m: GmailMessage, name: string): string | undefined =>
  m.payload?.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/**
 * Addresses of an address-list header (`"Doe, Jane" <jane@x.io>, bob@y.io`): split at the
 * commas outside quotes and angle brackets, each reduced to its address (RFC 5322 §3.4).
 */
export const addressesOf = (value: string | undefined): string[] => {
  if (!value) return [];
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if (ch === ',' && !quoted && !angle) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.flatMap((entry) => {
    const address = (/<([^>]*)>/.exec(entry)?.[1] ?? entry).trim();
    return address ? [address] : [];
  });
};

/** Decodes base64url (Gmail's `body.data`, RFC 4648 §5) as UTF-8, the charset nearly all mail uses. */
const decodeBase64Url = (data: string): string => Buffer.from(data, 'base64url').toString('utf8');

/** The first text/plain part that is a body, not an attached file, depth first. */
const plainTextOf = (part: MessagePart | undefined): string | undefined => {
  if (!part) return undefined;
  if (part.mimeType === 'text/plain' && !part.filename && part.body?.data)
    return decodeBase64Url(part.body.data);
  for (const child of part.parts ?? []) {
    const text = plainTextOf(child);
    if (text !== undefined) return text;
  }
  return undefined;
};

/** Gmail's snippet is HTML-escaped (`it&#39;s`): the few entities it uses, undone. */
const unescapeSnippet = (s: string): string =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/**
 * Labels that say where a message is (INBOX, SENT, a user's label), as opposed to the state
 * flags Gmail lists beside them (UNREAD, STARRED, IMPORTANT, CATEGORY_*), which make no
 * channel. Gmail gives no order that means anything; the first place label is the channel.
 * https://developers.google.com/workspace/gmail/api/guides/labels
 */
const STATE_LABELS = new Set(['UNREAD', 'STARRED', 'IMPORTANT', 'CHAT']);
export const isStateLabel = (label: string): boolean =>
  STATE_LABELS.has(label) || label.startsWith('CATEGORY_');
const channelOf = (labels: string[] | undefined): string => labels?.find((l) => !isStateLabel(l)) ?? 'INBOX';

/** Where the user opens it: Gmail's web URL of a message, in any folder. */
const webUrl = (id: string) => `https://mail.google.com/mail/u/0/#all/${id}`;

/** A message mapped to `message` (checked against it: a mapping bug must not reach records). */
export const mapMessage = (m: GmailMessage): { id: string } & Message => {
  const id = messageRecordId(m.id);
  const received = m.internalDate !== undefined ? Number(m.internalDate) : Number.NaN;
  const text = plainTextOf(m.payload) ?? unescapeSnippet(m.snippet ?? '');
  const r = message.safeParse({
    text: text.length > TEXT_CAP ? text.slice(0, TEXT_CAP) : text,
    subject: header(m, 'Subject') ?? null,
    recipients: [
      ...addressesOf(header(m, 'To')),
      ...addressesOf(header(m, 'Cc')),
      ...addressesOf(header(m, 'Bcc')),
    ],
    channel: channelOf(m.labelIds),
    author: addressesOf(header(m, 'From'))[0] ?? null,
    url: webUrl(m.id),
    thread_id: m.threadId ?? null,
    created_at: Number.isFinite(received) ? new Date(received).toISOString() : undefined,
  });
  if (!r.success) {
    throw new ProviderError('unreachable', `Gmail answered message ${m.id} with data that does not map.`);
  }
  return { id, ...r.data };
};

export const messageRecord = (m: GmailMessage): SyncRecord => {
  const { id, ...data } = mapMessage(m);
  return { id, data };
};
