import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { message } from '../../../adapters/models';
import { type GmailFake, startGmailFake } from '../../fakes/gmail';
import { type ActionCall, runAction } from './action-helpers';
import { expectProviderError } from './verify-helpers';

const P = 'gmail';

let g: GmailFake;
let call: ActionCall;
let inbox: string[];
beforeAll(async () => {
  g = await startGmailFake();
  inbox = g.seedMessages(30);
  call = { credentials: g.valid, baseUrl: g.apiBaseUrl };
});
afterAll(() => g.stop());

const prepare = async (action: string, input: Record<string, unknown>) => {
  const fn = (await loadAdapter(P))?.actions[action];
  if (!fn) throw new Error(`no action ${action}`);
  return fn.prepare(input);
};

describe('gmail send_email', () => {
  it('sends an RFC 5322 message, base64url in raw: recipients, encoded subject, base64 body', async () => {
    const data = await runAction(P, 'send_email', call, {
      to: ['jonas@acme.com', 'lea@partner.io'],
      cc: ['ops@acme.com'],
      bcc: ['audit@acme.com'],
      subject: 'Grüße aus Berlin — Q2 numbers 📈',
      body: 'Hi both,\n\nthe numbers are attached… not really.\n',
    });
    const request = g.requests.at(-1);
    expect(request).toMatchObject({ method: 'POST', path: '/gmail/v1/users/me/messages/send' });
    const mail = g.sent.at(-1);
    expect(mail?.headerNames).toEqual([
      'To',
      'Cc',
      'Bcc',
      'Subject',
      'MIME-Version',
      'Content-Type',
      'Content-Transfer-Encoding',
    ]);
    expect(mail?.headers).toMatchObject({
      to: 'jonas@acme.com, lea@partner.io',
      cc: 'ops@acme.com',
      bcc: 'audit@acme.com',
      'content-type': 'text/plain; charset="UTF-8"',
    });
    // Non-ASCII subjects travel as RFC 2047 encoded-words; Gmail decodes them.
    expect(mail?.headers.subject).toMatch(/^=\?UTF-8\?B\?/);
    expect(mail?.subject).toBe('Grüße aus Berlin — Q2 numbers 📈');
    expect(mail?.body).toBe('Hi both,\n\nthe numbers are attached… not really.\n');
    expect(mail?.threadId).toBeUndefined();
    const sent = g.message(data.message_id as string);
    expect(data).toEqual({
      id: `gmail_message_${sent?.id}`,
      message_id: sent?.id,
      thread_id: sent?.threadId,
      label_ids: ['SENT'],
    });
  });

  it('replies in a thread: threadId on the request, In-Reply-To and References the latest message', async () => {
    const first = g.message(inbox[0] as string);
    if (!first) throw new Error('no first message');
    const reply = g.addMessage({ subject: 'Re: Message 1', threadId: first.threadId });
    const latestId = g.message(reply)?.headers.find((h) => h.name === 'Message-ID')?.value;
    const data = await runAction(P, 'send_email', call, {
      to: ['lea@partner.io'],
      subject: 'Re: Message 1',
      body: 'Agreed.',
      thread_id: first?.threadId,
    });
    const mail = g.sent.at(-1);
    expect(mail?.threadId).toBe(first?.threadId);
    expect(mail?.headers['in-reply-to']).toBe(latestId);
    expect(mail?.headers.references).toBe(latestId);
    expect(data.thread_id).toBe(first?.threadId);
  });

  it('refuses header injection in the subject (CR or LF) before anything is sent', async () => {
    const sends = g.sent.length;
    for (const subject of ['Hi\r\nBcc: spy@evil.test', 'Hi\nX-Evil: 1', 'Hi\r']) {
      const parsed = await prepare('send_email', { to: ['jonas@acme.com'], subject, body: 'x' });
      expect(parsed.success, subject).toBe(false);
      if (!parsed.success) expect(JSON.stringify(parsed.issues)).toContain('line breaks');
    }
    for (const to of [['jonas@acme.com\r\nBcc: spy@evil.test'], ['not an address'], []]) {
      expect(
        (await prepare('send_email', { to, subject: 'Hi', body: 'x' })).success,
        JSON.stringify(to),
      ).toBe(false);
    }
    expect(g.sent.length).toBe(sends);
  });

  it('answers Gmail’s refusals: an unknown thread is 404 rejected; no send scope is 403 rejected', async () => {
    await expectProviderError(
      runAction(P, 'send_email', call, {
        to: ['a@b.io'],
        subject: 'x',
        body: 'y',
        thread_id: 'ffffffffffffffff',
      }),
      'rejected',
      { message: 'Requested entity was not found.', status: 404 },
    );
    const readOnly = g.tokenWithScopes(['https://www.googleapis.com/auth/gmail.readonly']);
    await expectProviderError(
      runAction(
        P,
        'send_email',
        { ...call, credentials: readOnly },
        { to: ['a@b.io'], subject: 'x', body: 'y' },
      ),
      'rejected',
      { message: 'Request had insufficient authentication scopes.', status: 403 },
    );
  });
});

describe('gmail list_messages', () => {
  it('lists the newest messages matching a search, with headers and snippets, and pages on', async () => {
    const first = (await runAction(P, 'list_messages', call, { q: 'from:lea', max: 4 })) as {
      messages: Record<string, unknown>[];
      next_cursor: string | null;
    };
    expect(first.messages).toHaveLength(4);
    for (const m of first.messages) {
      const { id, ...fields } = m;
      expect(id).toMatch(/^gmail_message_/);
      expect(message.safeParse(fields).success, JSON.stringify(fields)).toBe(true);
      expect(m.author).toBe('lea@partner.io');
    }
    // Messages 1..30, every third from Jonas: the newest from Lea is 29, then 28, 26, 25.
    expect(first.messages.map((m) => m.subject)).toEqual([
      'Message 29',
      'Message 28',
      'Message 26',
      'Message 25',
    ]);
    // A listing reads headers (format=metadata): the text is the snippet.
    expect(first.messages[0]?.text).toBe('Hello Mia, this is message 29.');
    const asked = g.requests.filter((r) => /\/messages\/[0-9a-f]{16}$/.test(r.path)).at(-1);
    expect(asked).toBeDefined();
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await runAction(P, 'list_messages', call, {
      q: 'from:lea',
      max: 4,
      cursor: first.next_cursor,
    })) as { messages: Record<string, unknown>[] };
    expect(second.messages.map((m) => m.subject)).toEqual([
      'Message 23',
      'Message 22',
      'Message 20',
      'Message 19',
    ]);
    expect(g.listings.at(-1)?.query).toMatchObject({
      q: 'from:lea',
      maxResults: '4',
      pageToken: first.next_cursor,
    });
  });

  it('answers an empty list when nothing matches; defaults to 20', async () => {
    expect(await runAction(P, 'list_messages', call, { q: 'from:nobody' })).toEqual({
      messages: [],
      next_cursor: null,
    });
    expect(g.listings.at(-1)?.query).toEqual({ maxResults: '20', q: 'from:nobody' });
    expect((await prepare('list_messages', { max: 500 })).success).toBe(false);
  });

  it('passes a page token Gmail refuses on as rejected', async () => {
    await expectProviderError(runAction(P, 'list_messages', call, { cursor: 'bogus' }), 'rejected', {
      message: 'Invalid pageToken',
      status: 400,
    });
  });
});

describe('gmail get_message', () => {
  it('reads one message in full: its plain-text body', async () => {
    const id = inbox[5] as string;
    const data = (await runAction(P, 'get_message', call, { id })) as { message: Record<string, unknown> };
    expect(data.message).toMatchObject({
      id: `gmail_message_${id}`,
      subject: 'Message 6',
      text: 'Hello Mia,\r\nthis is message 6.\r\n',
      // From: "Weber, Jonas" <jonas@acme.com> — the address, the quoted comma no split.
      author: 'jonas@acme.com',
    });
    expect(g.requests.at(-1)?.path).toBe(`/gmail/v1/users/me/messages/${id}`);
  });

  it('says Gmail’s "not found" for an id it does not have, and refuses ids that are not Gmail’s', async () => {
    await expectProviderError(runAction(P, 'get_message', call, { id: 'ffffffffffffffff' }), 'rejected', {
      message: 'Requested entity was not found.',
      status: 404,
    });
    for (const id of ['../profile', 'a b', ''])
      expect((await prepare('get_message', { id })).success).toBe(false);
  });

  it('maps 5xx to unreachable and Google’s rate limits to rate_limited with the wait', async () => {
    g.failNext('down');
    await expectProviderError(runAction(P, 'get_message', call, { id: inbox[0] as string }), 'unreachable');
    g.failNext('user_rate_limit', { retryAfterSeconds: 9 });
    const limited = await expectProviderError(
      runAction(P, 'get_message', call, { id: inbox[0] as string }),
      'rate_limited',
    );
    expect(limited.retryAfterSeconds).toBe(9);
  });
});
