import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Credentials, loadAdapter, type SyncPage, type SyncRecord } from '../../../adapters';
import { providerHttp } from '../../../core/platform/provider-http';
import { type GmailFake, startGmailFake } from '../../fakes/gmail';
import { expectValid, idsOf, stored } from './sync-helpers';
import { expectProviderError } from './verify-helpers';

const P = 'gmail';
const ids = (gmailIds: string[]) => gmailIds.map((id) => `gmail_message_${id}`).sort();

type Run = {
  records: SyncRecord[];
  deletedIds: string[];
  pages: SyncPage[];
  cursor: unknown;
  /** The index of the page that said `resync`, if one did. */
  resyncAt: number | undefined;
};

/**
 * Pages to the end as the engine asks for them: checkpoints and the cursor through JSON, the
 * cursor only in incremental mode, and from a `resync` page on in full mode without it.
 */
const runMessages = async (
  g: GmailFake,
  o: {
    mode?: 'full' | 'incremental';
    cursor?: unknown;
    config?: Record<string, unknown>;
    credentials?: Credentials;
  } = {},
): Promise<Run> => {
  const sync = (await loadAdapter(P))?.syncs?.messages;
  if (!sync) throw new Error('no messages sync');
  const run: Run = { records: [], deletedIds: [], pages: [], cursor: undefined, resyncAt: undefined };
  let full = o.mode !== 'incremental';
  const cursor = stored(o.cursor);
  let checkpoint: unknown;
  for (;;) {
    if (run.pages.length > 100) throw new Error('the sync does not end');
    const page = await sync.fetchPage({
      credentials: o.credentials ?? g.valid,
      baseUrl: g.apiBaseUrl,
      config: o.config ?? {},
      metadata: {},
      http: providerHttp,
      mode: full ? 'full' : 'incremental',
      ...(checkpoint !== undefined ? { checkpoint } : {}),
      ...(!full && cursor !== undefined ? { cursor } : {}),
    });
    if (page.resync) {
      full = true;
      run.resyncAt ??= run.pages.length;
    }
    run.pages.push(page);
    run.records.push(...page.records);
    run.deletedIds.push(...(page.deletedIds ?? []));
    if (page.next === undefined) return { ...run, cursor: stored(page.cursor) };
    expect(page.cursor).toBeUndefined();
    checkpoint = stored(page.next);
  }
};

describe('gmail messages: a full run', () => {
  let g: GmailFake;
  let inbox: string[];
  beforeAll(async () => {
    g = await startGmailFake();
    inbox = g.seedMessages(230);
    g.seedMessages(4, { labelIds: ['SPAM'] });
    g.seedMessages(2, { labelIds: ['TRASH'] });
  });
  afterAll(() => g.stop());

  it('reads every message outside spam and trash exactly once, 100 ids a page, each read in full', async () => {
    const before = g.listings.length;
    const gets = g.gets();
    const run = await runMessages(g);
    expectValid(run.records, 'message');
    expect(idsOf(run.records)).toEqual(ids(inbox));
    expect(run.pages.map((p) => p.records.length)).toEqual([100, 100, 30]);
    expect(run.deletedIds).toEqual([]);
    expect(run.resyncAt).toBeUndefined();
    expect(g.gets() - gets).toBe(230);
    const asked = g.listings.slice(before);
    expect(asked.map((l) => l.path)).toEqual(['messages', 'messages', 'messages']);
    expect(asked[0]?.query).toEqual({ maxResults: '100' });
    expect(asked[1]?.query.pageToken).toEqual(expect.any(String));
    // The cursor: the history id the mailbox had when the listing began.
    expect(run.cursor).toEqual({ history_id: g.historyId(), q: null });
  });

  it('maps a message: plain-text body, subject, recipients, author, place label, thread, url, date', async () => {
    const run = await runMessages(g);
    const byId = new Map(run.records.map((r) => [r.id, r.data]));
    // Message 2: text with an attached text file (not its body), Cc with a display name.
    const second = g.message(inbox[1] as string);
    expect(byId.get(`gmail_message_${inbox[1]}`)).toEqual({
      text: 'Hello Mia,\r\nthis is message 2.\r\n',
      subject: 'Message 2',
      recipients: ['mia@acme.com', 'ops@acme.com', 'sam@acme.com'],
      channel: 'INBOX',
      author: 'lea@partner.io',
      url: `https://mail.google.com/mail/u/0/#all/${inbox[1]}`,
      thread_id: second?.threadId,
      created_at: new Date(second?.internalDate ?? 0).toISOString(),
    });
    // Message 1: multipart/alternative — the text/plain part, not the HTML one.
    expect(byId.get(`gmail_message_${inbox[0]}`)?.text).toBe('Hello Mia,\r\nthis is message 1.\r\n');
    // Message 3: HTML only — the snippet, its HTML escapes undone; a quoted display name with a comma.
    expect(byId.get(`gmail_message_${inbox[2]}`)).toMatchObject({
      text: "Message 3 is HTML only & it's short",
      author: 'jonas@acme.com',
      recipients: ['mia@acme.com'],
    });
    // Message 5: labelled UNREAD, IMPORTANT, CATEGORY_UPDATES before INBOX: INBOX is where it is.
    expect(g.message(inbox[4] as string)?.labelIds[0]).toBe('UNREAD');
    expect(byId.get(`gmail_message_${inbox[4]}`)?.channel).toBe('INBOX');
  });

  it('caps a long body', async () => {
    const h = await startGmailFake();
    try {
      const long = h.addMessage({ text: 'x'.repeat(50_000), labelIds: ['Label_7'] });
      const run = await runMessages(h);
      expect(run.records).toHaveLength(1);
      expect(run.records[0]?.id).toBe(`gmail_message_${long}`);
      expect(String(run.records[0]?.data.text).length).toBe(10_000);
      expect(run.records[0]?.data.channel).toBe('Label_7');
    } finally {
      await h.stop();
    }
  });

  it('narrows the listing with config.q', async () => {
    const before = g.listings.length;
    const run = await runMessages(g, { config: { q: 'from:jonas' } });
    // Every third seeded message is from Jonas: 76 of the 230.
    expect(run.records).toHaveLength(76);
    expect(run.records.every((r) => r.data.author === 'jonas@acme.com')).toBe(true);
    expect(g.listings[before]?.query).toEqual({ maxResults: '100', q: 'from:jonas' });
    expect(run.cursor).toEqual({ history_id: g.historyId(), q: 'from:jonas' });
  });

  it('reads an empty mailbox as one empty page with a cursor', async () => {
    const h = await startGmailFake();
    try {
      const run = await runMessages(h);
      expect(run.records).toEqual([]);
      expect(run.pages).toHaveLength(1);
      expect(run.cursor).toEqual({ history_id: h.historyId(), q: null });
    } finally {
      await h.stop();
    }
  });
});

describe('gmail messages: incremental runs with history ids', () => {
  let g: GmailFake;
  let inbox: string[];
  let cursor: unknown;
  beforeEach(async () => {
    g = await startGmailFake();
    inbox = g.seedMessages(20);
    cursor = (await runMessages(g)).cursor;
  });
  afterEach(() => g.stop());

  it('reads only what changed since: added messages upserted, deleted ones deleted, a new cursor', async () => {
    const added = [g.addMessage({ subject: 'New one' }), g.addMessage({ subject: 'Newer one' })];
    g.deleteMessage(inbox[0] as string);
    const before = g.listings.length;
    const gets = g.gets();
    const run = await runMessages(g, { mode: 'incremental', cursor });
    expect(run.resyncAt).toBeUndefined();
    expectValid(run.records, 'message');
    expect(idsOf(run.records)).toEqual(ids(added));
    expect(run.deletedIds).toEqual([`gmail_message_${inbox[0]}`]);
    expect(g.gets() - gets).toBe(2);
    const asked = g.listings.slice(before);
    expect(asked).toEqual([
      {
        path: 'history',
        query: {
          startHistoryId: (cursor as { history_id: string }).history_id,
          maxResults: '100',
          historyTypes: ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'],
        },
      },
    ]);
    expect(run.cursor).toEqual({ history_id: g.historyId(), q: null });

    // Nothing changed since: nothing read, the same cursor back.
    const again = await runMessages(g, { mode: 'incremental', cursor: run.cursor });
    expect(again.records).toEqual([]);
    expect(again.deletedIds).toEqual([]);
    expect(again.cursor).toEqual(run.cursor);
  });

  it('takes each message’s last change: added then deleted is a deletion, not a read of nothing', async () => {
    const fleeting = g.addMessage({ subject: 'Sent by mistake' });
    g.deleteMessage(fleeting);
    const run = await runMessages(g, { mode: 'incremental', cursor });
    expect(run.records).toEqual([]);
    expect(run.deletedIds).toEqual([`gmail_message_${fleeting}`]);
  });

  it('re-reads a relabelled message, and deletes one moved to trash (as a full run leaves it out)', async () => {
    g.relabel(inbox[1] as string, ['Label_12'], ['INBOX']);
    g.relabel(inbox[2] as string, ['TRASH'], ['INBOX']);
    const run = await runMessages(g, { mode: 'incremental', cursor });
    expect(run.records.map((r) => [r.id, r.data.channel])).toEqual([
      [`gmail_message_${inbox[1]}`, 'Label_12'],
    ]);
    expect(run.deletedIds).toEqual([`gmail_message_${inbox[2]}`]);
  });

  it('does not read a message again for a state flag: read, starred, important, a category', async () => {
    g.relabel(inbox[3] as string, ['STARRED', 'CATEGORY_SOCIAL'], []);
    g.relabel(inbox[4] as string, [], ['UNREAD', 'IMPORTANT']);
    const gets = g.gets();
    const run = await runMessages(g, { mode: 'incremental', cursor });
    expect(g.gets()).toBe(gets);
    expect(run.records).toEqual([]);
    expect(run.deletedIds).toEqual([]);
    expect(run.cursor).toEqual({ history_id: g.historyId(), q: null });
  });

  it('pages through a long history, 100 records a page, the cursor on the last', async () => {
    const added = Array.from({ length: 150 }, (_, i) => g.addMessage({ subject: `Batch ${i}` }));
    const run = await runMessages(g, { mode: 'incremental', cursor });
    expect(run.pages.map((p) => p.records.length)).toEqual([100, 50]);
    expect(idsOf(run.records)).toEqual(ids(added));
    expect(run.cursor).toEqual({ history_id: g.historyId(), q: null });
  });

  it('starts over as a full listing with resync when Gmail no longer has the history (404)', async () => {
    g.deleteMessage(inbox[5] as string);
    const late = g.addMessage({ subject: 'After the gap' });
    g.expireHistory();
    const before = g.listings.length;
    const run = await runMessages(g, { mode: 'incremental', cursor });
    expect(run.resyncAt).toBe(0);
    // Refused history, then a full listing from the start: every message there is.
    expect(g.listings.slice(before).map((l) => l.path)).toEqual(['history', 'messages']);
    expect(idsOf(run.records)).toEqual(ids([...inbox.filter((_, i) => i !== 5), late]));
    // Nothing is said deleted: the engine, told `resync`, deletes what the listing left out.
    expect(run.deletedIds).toEqual([]);
    expect(run.cursor).toEqual({ history_id: g.historyId(), q: null });
    // And the new cursor works.
    const next = await runMessages(g, { mode: 'incremental', cursor: run.cursor });
    expect(next.resyncAt).toBeUndefined();
    expect(next.records).toEqual([]);
  });

  it('lists in full, saying resync, without a cursor, with a cursor of another shape, or with config.q', async () => {
    for (const o of [
      {},
      { cursor: 'not-a-cursor' },
      { cursor: { history_id: '12', q: 'from:lea' } },
      { cursor, config: { q: 'from:lea' } },
    ]) {
      const before = g.listings.length;
      const run = await runMessages(g, { mode: 'incremental', ...o });
      expect(run.resyncAt, JSON.stringify(o)).toBe(0);
      expect(g.listings[before]?.path).toBe('messages');
    }
  });
});

describe('gmail messages: refusals', () => {
  let g: GmailFake;
  beforeAll(async () => {
    g = await startGmailFake();
    g.seedMessages(3);
  });
  afterAll(() => g.stop());

  it('maps Google’s errors: 403 rate limits to rate_limited, 5xx to unreachable, 400 to rejected, 401 to rejected', async () => {
    g.failNext('user_rate_limit');
    await expectProviderError(runMessages(g), 'rate_limited', {
      message: 'User-rate limit exceeded.',
      status: 403,
    });
    g.failNext('rate_limit', { retryAfterSeconds: 12 });
    const limited = await expectProviderError(runMessages(g), 'rate_limited');
    expect(limited.retryAfterSeconds).toBe(12);
    g.failNext('too_many_requests');
    const many = await expectProviderError(runMessages(g), 'rate_limited', { status: 429 });
    // Google sends no Retry-After: a minute, Gmail's quota window.
    expect(many.retryAfterSeconds).toBe(60);
    g.failNext('down');
    await expectProviderError(runMessages(g), 'unreachable');
    g.failNext('refuse');
    await expectProviderError(runMessages(g), 'rejected', {
      message: 'Precondition check failed.',
      status: 400,
    });
    const expired = g.tokenWithScopes(['https://www.googleapis.com/auth/gmail.readonly']);
    g.expireAccessTokens();
    await expectProviderError(runMessages(g, { credentials: expired }), 'rejected', {
      message: /invalid authentication credentials/,
      status: 401,
      secrets: [(expired as { access_token: string }).access_token],
    });
  });

  it('refuses a token without a read scope with Google’s 403', async () => {
    const sendOnly = g.tokenWithScopes(['https://www.googleapis.com/auth/gmail.send']);
    await expectProviderError(runMessages(g, { credentials: sendOnly }), 'rejected', {
      message: 'Request had insufficient authentication scopes.',
      status: 403,
    });
  });
});
