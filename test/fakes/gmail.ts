import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import { googleError } from './google-calendar-events';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomHex,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * The Gmail API (gmail.googleapis.com/gmail/v1) for one mailbox, as Google documents it:
 * - GET users/me/profile → `{ emailAddress, messagesTotal, threadsTotal, historyId }`;
 * - GET users/me/messages: ids only (`{ messages: [{ id, threadId }], nextPageToken,
 *   resultSizeEstimate }`, no `messages` at all when nothing matches), newest first,
 *   `maxResults` default 100 and at most 500, spam and trash left out unless
 *   includeSpamTrash=true, `q` in Gmail's search syntax (the fake reads from:, to:,
 *   subject:, label:, in:, is:unread, is:starred and plain words), opaque page tokens bound
 *   to their query (400 "Invalid pageToken" otherwise);
 * - GET users/me/messages/{id}: `format` full (the MIME tree, bodies base64url in
 *   `body.data`, attachments by `attachmentId`), metadata (headers only, those named by
 *   `metadataHeaders` when given), minimal, raw; 404 notFound "Requested entity was not
 *   found." for an id it does not have;
 * - GET users/me/history: records after `startHistoryId`, oldest first, filtered by
 *   `historyTypes`, paged; the answer's `historyId` is the mailbox's current one; a
 *   `startHistoryId` older than the history kept (`expireHistory`, which Gmail does after
 *   about a week) → 404 notFound;
 * - GET users/me/threads/{id} (format metadata/full/minimal);
 * - POST users/me/messages/send `{ raw, threadId? }`: `raw` base64url RFC 5322, parsed as
 *   Gmail does (folded headers unfolded, RFC 2047 subjects decoded, a base64 body decoded);
 *   no recipient → 400 "Recipient address required", `raw` not base64url → 400, an unknown
 *   threadId → 404. The sent message joins the mailbox (label SENT, From = the account);
 * - scopes as Google checks them: reading needs gmail.readonly (or modify, or full mail),
 *   sending gmail.send (or compose, modify, full mail), else 403 insufficientPermissions;
 *   a bad token 401 UNAUTHENTICATED; errors in Google's body
 *   `{ error: { code, message, errors: [{ domain, reason, message }], status } }`.
 * https://developers.google.com/workspace/gmail/api/reference/rest
 * https://developers.google.com/workspace/gmail/api/guides/sync
 * https://developers.google.com/workspace/gmail/api/guides/handle-errors
 */

export type GmailFaultKind = 'refuse' | 'down' | 'rate_limit' | 'user_rate_limit' | 'too_many_requests';

export type StoredMessage = {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: number;
  headers: { name: string; value: string }[];
  /** The plain-text body; absent for an HTML-only message. */
  text?: string;
  html?: string;
  attachment?: { filename: string; mimeType: string; size: number };
};

export type MessageFields = {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  text?: string;
  html?: string;
  labelIds?: string[];
  threadId?: string;
  internalDate?: number;
  attachment?: { filename: string; mimeType: string; size: number };
};

export type SentMail = {
  threadId: string | undefined;
  headers: Record<string, string>;
  /** Header names in the order written: an injected header would show as one more. */
  headerNames: string[];
  subject: string;
  body: string;
};

type HistoryRecord = {
  id: number;
  kind: 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';
  message: { id: string; threadId: string; labelIds: string[] };
  labelIds?: string[];
};

export type GmailFake = ProviderFake<Credentials> & {
  email: string;
  /** Adds a message (history: messageAdded); answers its id. */
  addMessage(fields?: MessageFields): string;
  /** `n` varied messages (plain, alternative, with attachment, HTML only), oldest first; their ids. */
  seedMessages(n: number, o?: { labelIds?: string[] }): string[];
  /** Deletes a message for good (history: messageDeleted). */
  deleteMessage(id: string): void;
  /** Adds and removes labels (history: labelAdded / labelRemoved). */
  relabel(id: string, add: string[], remove: string[]): void;
  message(id: string): StoredMessage | undefined;
  /** The mailbox's current history id. */
  historyId(): string;
  /** Gmail drops the history kept so far: any earlier startHistoryId now answers 404. */
  expireHistory(): void;
  /** Query strings of messages.list and history.list calls, in order. */
  listings: { path: 'messages' | 'history'; query: Record<string, string | string[]> }[];
  /** messages.get calls so far. */
  gets(): number;
  /** Mails received by messages.send, as Gmail parsed them. */
  sent: SentMail[];
  /** The next `times` API requests fail as asked (see GmailFaultKind); `retryAfterSeconds` adds Retry-After. */
  failNext(kind: GmailFaultKind, o?: { times?: number; retryAfterSeconds?: number }): void;
  tokenWithScopes(scopes: string[]): Credentials;
  expireAccessTokens(): void;
};

const SCOPE = 'https://www.googleapis.com/auth/';
const FULL = 'https://mail.google.com/';
const READ_SCOPES = [`${SCOPE}gmail.readonly`, `${SCOPE}gmail.modify`, FULL];
const SEND_SCOPES = [`${SCOPE}gmail.send`, `${SCOPE}gmail.compose`, `${SCOPE}gmail.modify`, FULL];
const ANY_GMAIL = [...READ_SCOPES, ...SEND_SCOPES, `${SCOPE}gmail.metadata`];

const notFound = () =>
  googleError(404, 'Requested entity was not found.', 'notFound', { status: 'NOT_FOUND' });
const invalid = (message: string) =>
  googleError(400, message, 'invalidArgument', { status: 'INVALID_ARGUMENT' });

/** Gmail's answer to a fault a test asks for. */
const faultReply = (kind: GmailFaultKind, retryAfterSeconds?: number): FakeReply => {
  const headers = retryAfterSeconds !== undefined ? { 'retry-after': String(retryAfterSeconds) } : {};
  const limit = (code: number, message: string, reason: string, status: string) =>
    googleError(code, message, reason, { domain: 'usageLimits', status, headers });
  switch (kind) {
    case 'refuse':
      return googleError(400, 'Precondition check failed.', 'failedPrecondition', {
        status: 'FAILED_PRECONDITION',
      });
    case 'down':
      return googleError(500, 'Backend Error', 'backendError', { status: 'INTERNAL' });
    case 'rate_limit':
      return limit(403, 'Rate Limit Exceeded', 'rateLimitExceeded', 'PERMISSION_DENIED');
    case 'user_rate_limit':
      return limit(403, 'User-rate limit exceeded.', 'userRateLimitExceeded', 'PERMISSION_DENIED');
    case 'too_many_requests':
      return limit(429, 'Too many concurrent requests for user.', 'rateLimitExceeded', 'RESOURCE_EXHAUSTED');
  }
};

const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const escapeSnippet = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const headerOf = (m: StoredMessage, name: string) =>
  m.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** RFC 2047 encoded-words (B and Q, UTF-8) decoded, whitespace between adjacent words dropped. */
const decodeWords = (value: string): string =>
  value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );

export const startGmailFake = async (): Promise<GmailFake> => {
  const email = 'mia@acme.com';
  const messages = new Map<string, StoredMessage>();
  const history: HistoryRecord[] = [];
  // Gmail's history ids grow but are not contiguous.
  let historyId = 1_000 + Math.floor(Math.random() * 9_000);
  let historyFloor = 0;
  let clock = Date.parse('2025-03-03T08:00:00Z');
  let gets = 0;
  const listings: GmailFake['listings'] = [];
  const sent: SentMail[] = [];
  const pageTokens = new Map<string, { query: string; offset: number }>();
  const historyTokens = new Map<string, { start: number; offset: number }>();
  const accessTokens = new Map<string, { scopes: string[]; expired: boolean }>();
  let faults: { kind: GmailFaultKind; times: number; retryAfterSeconds?: number } | undefined;

  const mintAccess = (scopes: string[]) => {
    const t = sensitive(`ya29.a0${randomToken(200)}`);
    accessTokens.set(t, { scopes, expired: false });
    return t;
  };
  const seeded = mintAccess([`${SCOPE}gmail.readonly`, `${SCOPE}gmail.send`]);

  const bump = () => {
    historyId += 1 + Math.floor(Math.random() * 3);
    return historyId;
  };
  const record = (kind: HistoryRecord['kind'], m: StoredMessage, labelIds?: string[]) => {
    m.historyId = bump();
    history.push({
      id: m.historyId,
      kind,
      message: { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] },
      ...(labelIds ? { labelIds } : {}),
    });
  };

  const addMessage = (f: MessageFields = {}): string => {
    const id = randomHex(16);
    clock += 60_000;
    const subject = f.subject ?? 'Hello';
    const headers = [
      { name: 'From', value: f.from ?? 'Jonas Weber <jonas@acme.com>' },
      { name: 'To', value: f.to ?? `Mia Krystof <${email}>` },
      ...(f.cc ? [{ name: 'Cc', value: f.cc }] : []),
      { name: 'Subject', value: subject },
      { name: 'Date', value: new Date(f.internalDate ?? clock).toUTCString().replace('GMT', '+0000') },
      { name: 'Message-ID', value: `<CA+${randomToken(24)}@mail.gmail.com>` },
    ];
    const m: StoredMessage = {
      id,
      threadId: f.threadId ?? id,
      labelIds: f.labelIds ?? ['INBOX'],
      internalDate: f.internalDate ?? clock,
      historyId: 0,
      headers,
      ...(f.html !== undefined && f.text === undefined ? {} : { text: f.text ?? `Body of ${subject}` }),
      ...(f.html !== undefined ? { html: f.html } : {}),
      ...(f.attachment ? { attachment: f.attachment } : {}),
    };
    messages.set(id, m);
    record('messageAdded', m);
    return id;
  };

  const seedMessages = (n: number, o: { labelIds?: string[] } = {}): string[] => {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) {
      const kind = i % 4;
      ids.push(
        addMessage({
          from: i % 3 === 0 ? '"Weber, Jonas" <jonas@acme.com>' : 'lea@partner.io',
          to: `Mia Krystof <${email}>`,
          ...(i % 2 === 0 ? { cc: 'ops@acme.com, "Sam" <sam@acme.com>' } : {}),
          subject: `Message ${i}`,
          // 1: alternative (text + HTML), 2: text with an attached file, 3: HTML only, 0: text.
          ...(kind === 3
            ? { html: `<p>Message ${i} is <b>HTML</b> only &amp; it's short</p>` }
            : { text: `Hello Mia,\r\nthis is message ${i}.\r\n` }),
          ...(kind === 1 ? { html: `<p>Hello Mia, this is message ${i}.</p>` } : {}),
          ...(kind === 2 ? { attachment: { filename: 'notes.txt', mimeType: 'text/plain', size: 120 } } : {}),
          labelIds:
            o.labelIds ?? (i % 5 === 0 ? ['UNREAD', 'IMPORTANT', 'CATEGORY_UPDATES', 'INBOX'] : ['INBOX']),
        }),
      );
    }
    return ids;
  };

  /** The MIME tree of format=full, as Gmail answers it. */
  const payloadOf = (m: StoredMessage) => {
    const leaf = (partId: string, mimeType: string, text: string) => ({
      partId,
      mimeType,
      filename: '',
      headers: [{ name: 'Content-Type', value: `${mimeType}; charset="UTF-8"` }],
      body: { size: Buffer.byteLength(text), data: b64url(text) },
    });
    const top = { partId: '', filename: '', headers: m.headers };
    const alternatives =
      m.text !== undefined && m.html !== undefined
        ? {
            mimeType: 'multipart/alternative',
            body: { size: 0 },
            parts: [leaf('0', 'text/plain', m.text), leaf('1', 'text/html', m.html)],
          }
        : m.text !== undefined
          ? { mimeType: 'text/plain', body: leaf('', 'text/plain', m.text).body }
          : { mimeType: 'text/html', body: leaf('', 'text/html', m.html ?? '').body };
    if (!m.attachment) return { ...top, ...alternatives };
    return {
      ...top,
      mimeType: 'multipart/mixed',
      body: { size: 0 },
      parts: [
        { partId: '0', filename: '', headers: [], ...alternatives },
        {
          partId: '1',
          mimeType: m.attachment.mimeType,
          filename: m.attachment.filename,
          headers: [
            { name: 'Content-Disposition', value: `attachment; filename="${m.attachment.filename}"` },
          ],
          body: { attachmentId: `ANGjdJ${randomToken(40)}`, size: m.attachment.size },
        },
      ],
    };
  };

  const resourceOf = (m: StoredMessage, format: string, metadataHeaders: string[]) => {
    // The snippet is of the rendered text: tags dropped, the HTML's own entities read.
    const plain =
      m.text ??
      (m.html ?? '')
        .replace(/<[^>]+>/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    const base = {
      id: m.id,
      threadId: m.threadId,
      labelIds: m.labelIds,
      snippet: escapeSnippet(plain.replace(/\s+/g, ' ').trim().slice(0, 100)),
      historyId: String(m.historyId),
      internalDate: String(m.internalDate),
      sizeEstimate: 800 + plain.length,
    };
    if (format === 'minimal') return base;
    if (format === 'raw') {
      const head = m.headers.map((h) => `${h.name}: ${h.value}`).join('\r\n');
      return { ...base, raw: b64url(`${head}\r\n\r\n${plain}`) };
    }
    if (format === 'metadata') {
      const wanted = metadataHeaders.map((h) => h.toLowerCase());
      const headers =
        wanted.length > 0 ? m.headers.filter((h) => wanted.includes(h.name.toLowerCase())) : m.headers;
      return { ...base, payload: { mimeType: payloadOf(m).mimeType, headers } };
    }
    return { ...base, payload: payloadOf(m) };
  };

  /** Gmail's search, as far as the fake reads it. */
  const matches = (m: StoredMessage, q: string): boolean =>
    q
      .split(/\s+/)
      .filter(Boolean)
      .every((term) => {
        const [op, ...rest] = term.split(':');
        const value = rest.join(':').toLowerCase();
        const has = (name: string) => (headerOf(m, name) ?? '').toLowerCase().includes(value);
        if (rest.length === 0 || !op) {
          const t = term.toLowerCase();
          return [headerOf(m, 'Subject'), m.text, m.html].some((x) => (x ?? '').toLowerCase().includes(t));
        }
        switch (op.toLowerCase()) {
          case 'from':
            return has('From');
          case 'to':
            return has('To') || has('Cc');
          case 'subject':
            return has('Subject');
          case 'label':
          case 'in':
            return m.labelIds.some((l) => l.toLowerCase() === value);
          case 'is':
            return value === 'unread'
              ? m.labelIds.includes('UNREAD')
              : m.labelIds.includes(value.toUpperCase());
          default:
            return [headerOf(m, 'Subject'), m.text].some((x) =>
              (x ?? '').toLowerCase().includes(term.toLowerCase()),
            );
        }
      });

  const listMessages = (req: FakeRequest): FakeReply => {
    listings.push({ path: 'messages', query: Object.fromEntries(req.query) });
    const max = Number(req.query.get('maxResults') ?? '100');
    if (!Number.isInteger(max) || max < 1) return invalid('Invalid maxResults');
    const size = Math.min(max, 500);
    const q = req.query.get('q') ?? '';
    const withSpamTrash = req.query.get('includeSpamTrash') === 'true';
    const key = `${q}|${withSpamTrash}`;
    const token = req.query.get('pageToken');
    let offset = 0;
    if (token) {
      const t = pageTokens.get(token);
      if (!t || t.query !== key) return invalid('Invalid pageToken');
      offset = t.offset;
    }
    const all = [...messages.values()]
      .filter((m) => withSpamTrash || !m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH'))
      .filter((m) => !q || matches(m, q))
      .sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
    const page = all.slice(offset, offset + size);
    let nextPageToken: string | undefined;
    if (offset + size < all.length) {
      nextPageToken = String(Math.floor(1e19 + Math.random() * 9e19)).slice(0, 20);
      pageTokens.set(nextPageToken, { query: key, offset: offset + size });
    }
    return reply(200, {
      ...(page.length > 0 ? { messages: page.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
      ...(nextPageToken ? { nextPageToken } : {}),
      resultSizeEstimate: all.length,
    });
  };

  const FORMATS = ['full', 'metadata', 'minimal', 'raw'];

  const getOne = (req: FakeRequest, id: string): FakeReply => {
    gets += 1;
    const format = req.query.get('format') ?? 'full';
    if (!FORMATS.includes(format))
      return invalid(
        `Invalid value at 'format' (type.googleapis.com/google.apps.gmail.v1.Format), "${format}"`,
      );
    const m = messages.get(id);
    if (!m) return notFound();
    return reply(200, resourceOf(m, format, req.query.getAll('metadataHeaders')));
  };

  const getThread = (req: FakeRequest, id: string): FakeReply => {
    const format = req.query.get('format') ?? 'full';
    if (!FORMATS.includes(format) || format === 'raw')
      return invalid(`Invalid value at 'format', "${format}"`);
    const inThread = [...messages.values()]
      .filter((m) => m.threadId === id)
      .sort((a, b) => a.internalDate - b.internalDate);
    if (inThread.length === 0) return notFound();
    return reply(200, {
      id,
      historyId: String(Math.max(...inThread.map((m) => m.historyId))),
      messages: inThread.map((m) => resourceOf(m, format, req.query.getAll('metadataHeaders'))),
    });
  };

  const listHistory = (req: FakeRequest): FakeReply => {
    listings.push({
      path: 'history',
      query: { ...Object.fromEntries(req.query), historyTypes: req.query.getAll('historyTypes') },
    });
    const startRaw = req.query.get('startHistoryId');
    if (!startRaw) return invalid('Missing required field: startHistoryId');
    const start = Number(startRaw);
    if (!Number.isSafeInteger(start) || start < 0)
      return invalid(`Invalid value for startHistoryId: ${startRaw}`);
    if (start < historyFloor) return notFound();
    const max = Math.min(Number(req.query.get('maxResults') ?? '100'), 500);
    const types = req.query.getAll('historyTypes');
    let offset = 0;
    const token = req.query.get('pageToken');
    if (token) {
      const t = historyTokens.get(token);
      if (!t || t.start !== start) return invalid('Invalid pageToken');
      offset = t.offset;
    }
    const after = history.filter((h) => h.id > start && (types.length === 0 || types.includes(h.kind)));
    const page = after.slice(offset, offset + max);
    let nextPageToken: string | undefined;
    if (offset + max < after.length) {
      nextPageToken = randomToken(20);
      historyTokens.set(nextPageToken, { start, offset: offset + max });
    }
    const field = {
      messageAdded: 'messagesAdded',
      messageDeleted: 'messagesDeleted',
      labelAdded: 'labelsAdded',
      labelRemoved: 'labelsRemoved',
    } as const;
    return reply(200, {
      ...(page.length > 0
        ? {
            history: page.map((h) => ({
              id: String(h.id),
              messages: [{ id: h.message.id, threadId: h.message.threadId }],
              [field[h.kind]]: [{ message: h.message, ...(h.labelIds ? { labelIds: h.labelIds } : {}) }],
            })),
          }
        : {}),
      ...(nextPageToken ? { nextPageToken } : {}),
      historyId: String(historyId),
    });
  };

  /** Parses `raw` as Gmail does before sending it. */
  const send = (req: FakeRequest): FakeReply => {
    let body: { raw?: unknown; threadId?: unknown };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return invalid('Invalid JSON payload received.');
    }
    if (typeof body.raw !== 'string' || body.raw.length === 0)
      return invalid("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
    if (!/^[A-Za-z0-9_-]*={0,2}$/.test(body.raw))
      return invalid(`Invalid value for ByteString: ${body.raw.slice(0, 20)}`);
    const threadId = typeof body.threadId === 'string' ? body.threadId : undefined;
    if (threadId !== undefined && ![...messages.values()].some((m) => m.threadId === threadId))
      return notFound();
    const text = Buffer.from(body.raw, 'base64url').toString('utf8');
    const split = text.indexOf('\r\n\r\n');
    const head = split >= 0 ? text.slice(0, split) : text;
    const rawBody = split >= 0 ? text.slice(split + 4) : '';
    // Unfold (RFC 5322 §2.2.3): a line starting with whitespace continues the header above.
    const headerLines = head.replace(/\r\n(?=[ \t])/g, '').split('\r\n');
    const headers: Record<string, string> = {};
    const headerNames: string[] = [];
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) return invalid('Invalid RFC 5322 header line');
      const name = line.slice(0, colon).trim();
      headerNames.push(name);
      headers[name.toLowerCase()] = line.slice(colon + 1).trim();
    }
    if (!headers.to && !headers.cc && !headers.bcc) return invalid('Recipient address required');
    const decodedBody =
      (headers['content-transfer-encoding'] ?? '').toLowerCase() === 'base64'
        ? Buffer.from(rawBody.replace(/\s+/g, ''), 'base64').toString('utf8')
        : rawBody;
    const subject = decodeWords(headers.subject ?? '');
    sent.push({ threadId, headers, headerNames, subject, body: decodedBody });
    const id = addMessage({
      from: email,
      to: headers.to ?? '',
      ...(headers.cc ? { cc: headers.cc } : {}),
      subject,
      text: decodedBody,
      labelIds: ['SENT'],
      ...(threadId ? { threadId } : {}),
    });
    const m = messages.get(id) as StoredMessage;
    if (headers.bcc) m.headers.push({ name: 'Bcc', value: headers.bcc });
    return reply(200, { id: m.id, threadId: m.threadId, labelIds: m.labelIds });
  };

  const insufficient = () =>
    googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions', {
      status: 'PERMISSION_DENIED',
      extra: { message: 'Insufficient Permission' },
    });

  const api = (req: FakeRequest): FakeReply => {
    if (faults && faults.times > 0) {
      faults.times--;
      return faultReply(faults.kind, faults.retryAfterSeconds);
    }
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const held = bearer ? accessTokens.get(bearer) : undefined;
    if (!held || held.expired) {
      return googleError(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
        'authError',
        {
          status: 'UNAUTHENTICATED',
          headers: {
            'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
          },
          extra: { message: 'Invalid Credentials', location: 'Authorization', locationType: 'header' },
        },
      );
    }
    const can = (scopes: string[]) => held.scopes.some((s) => scopes.includes(s));
    const m = /^\/gmail\/v1\/users\/([^/]+)\/(.+)$/.exec(req.path);
    if (!m?.[1] || !m[2]) return notFound();
    const user = decodeURIComponent(m[1]);
    if (user !== 'me' && user !== email) {
      return googleError(403, 'Delegation denied for mia@acme.com', 'forbidden', {
        status: 'PERMISSION_DENIED',
      });
    }
    const rest = m[2];
    if (req.method === 'GET' && rest === 'profile') {
      if (!can(ANY_GMAIL)) return insufficient();
      const threads = new Set([...messages.values()].map((x) => x.threadId));
      return reply(200, {
        emailAddress: email,
        messagesTotal: messages.size,
        threadsTotal: threads.size,
        historyId: String(historyId),
      });
    }
    if (req.method === 'POST' && rest === 'messages/send')
      return can(SEND_SCOPES) ? send(req) : insufficient();
    if (req.method !== 'GET') return notFound();
    if (!can(READ_SCOPES)) return insufficient();
    if (rest === 'messages') return listMessages(req);
    if (rest === 'history') return listHistory(req);
    const one = /^messages\/([^/]+)$/.exec(rest);
    if (one?.[1]) return getOne(req, decodeURIComponent(one[1]));
    const thread = /^threads\/([^/]+)$/.exec(rest);
    if (thread?.[1]) return getThread(req, decodeURIComponent(thread[1]));
    return notFound();
  };

  const server = await startFakeServer(
    (req) => {
      if (req.path.startsWith('/gmail/v1/')) return api(req);
      return reply(404, '<html><body>Error 404 (Not Found)!!1</body></html>', {
        'content-type': 'text/html',
      });
    },
    reply(503, {
      error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' },
    }),
  );

  return {
    ...server,
    apiBaseUrl: `${server.url}/gmail/v1`,
    valid: registerSecrets({ type: 'oauth2', access_token: seeded }),
    account: { id: email, name: email },
    email,
    addMessage,
    seedMessages,
    deleteMessage: (id) => {
      const m = messages.get(id);
      if (!m) throw new Error(`no message ${id}`);
      messages.delete(id);
      record('messageDeleted', m);
    },
    relabel: (id, add, remove) => {
      const m = messages.get(id);
      if (!m) throw new Error(`no message ${id}`);
      if (add.length > 0) {
        m.labelIds = [...new Set([...m.labelIds, ...add])];
        record('labelAdded', m, add);
      }
      if (remove.length > 0) {
        m.labelIds = m.labelIds.filter((l) => !remove.includes(l));
        record('labelRemoved', m, remove);
      }
    },
    message: (id) => messages.get(id),
    historyId: () => String(historyId),
    expireHistory: () => {
      historyFloor = historyId;
    },
    listings,
    gets: () => gets,
    sent,
    failNext: (kind, o = {}) => {
      faults = {
        kind,
        times: o.times ?? 1,
        ...(o.retryAfterSeconds !== undefined ? { retryAfterSeconds: o.retryAfterSeconds } : {}),
      };
    },
    tokenWithScopes: (scopes) => ({ type: 'oauth2', access_token: mintAccess(scopes) }),
    expireAccessTokens: () => {
      for (const t of accessTokens.values()) t.expired = true;
    },
  };
};
