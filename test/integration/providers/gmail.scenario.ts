import { expect } from 'vitest';
import { message } from '../../../adapters/models';
import { startGmailFake } from '../../fakes/gmail';
import type { ProviderScenario } from './scenario';

const INBOX = 130; // two listing pages of 100
const HIDDEN = 3; // in spam or trash: not synced

/**
 * Gmail through the API: an integration whose API base URL points at the fake, a
 * connection with an access token it issued (gmail.readonly + gmail.send), the `messages`
 * sync over a mailbox with spam and trash beside the inbox, and every action. Rate limits
 * are Google's 403 userRateLimitExceeded; a refusal Gmail's 400 failedPrecondition.
 */
const scenario: ProviderScenario = {
  provider: 'gmail',
  start: async () => {
    const g = await startGmailFake();
    const ids = g.seedMessages(INBOX);
    g.seedMessages(HIDDEN - 1, { labelIds: ['SPAM'] });
    g.seedMessages(1, { labelIds: ['TRASH'] });
    const fourth = ids[3] as string;
    return {
      stop: () => g.stop(),
      integration: { provider: 'gmail', endpoints: { api_base_url: g.apiBaseUrl } },
      connection: { credentials: { ...g.valid } },
      syncs: { messages: { model: 'message', count: INBOX } },
      actions: {
        list_messages: {
          input: { q: 'from:jonas', max: 5 },
          check: (data) => {
            expect(data.messages).toHaveLength(5);
            for (const m of data.messages) {
              const { id, ...fields } = m;
              expect(id).toMatch(/^gmail_message_[0-9a-f]{16}$/);
              expect(message.safeParse(fields).success, JSON.stringify(fields)).toBe(true);
              expect(m.author).toBe('jonas@acme.com');
            }
            // Newest first: the last seeded message from Jonas is message 129.
            expect(data.messages[0].subject).toBe('Message 129');
            expect(data.next_cursor).toEqual(expect.any(String));
          },
        },
        get_message: {
          input: { id: fourth },
          check: (data) => {
            expect(data.message).toMatchObject({
              id: `gmail_message_${fourth}`,
              subject: 'Message 4',
              text: 'Hello Mia,\r\nthis is message 4.\r\n',
              author: 'lea@partner.io',
              recipients: ['mia@acme.com', 'ops@acme.com', 'sam@acme.com'],
              channel: 'INBOX',
              url: `https://mail.google.com/mail/u/0/#all/${fourth}`,
            });
          },
        },
        send_email: {
          input: {
            to: ['jonas@acme.com'],
            cc: ['lea@partner.io'],
            subject: 'Quartalszahlen für März',
            body: 'Hi Jonas,\nthe numbers are in.\n',
          },
          check: (data) => {
            const mail = g.sent.at(-1);
            expect(mail?.headers.to).toBe('jonas@acme.com');
            expect(mail?.headers.cc).toBe('lea@partner.io');
            expect(mail?.subject).toBe('Quartalszahlen für März');
            expect(mail?.body).toBe('Hi Jonas,\nthe numbers are in.\n');
            expect(data).toMatchObject({ message_id: expect.any(String), label_ids: ['SENT'] });
            expect(g.message(data.message_id)?.labelIds).toEqual(['SENT']);
          },
        },
      },
      probe: 'list_messages',
      failNext: (kind, retryAfterSeconds) =>
        g.failNext(
          kind === 'rate_limit' ? 'user_rate_limit' : kind,
          retryAfterSeconds !== undefined ? { retryAfterSeconds } : {},
        ),
      refusalMessage: 'Precondition check failed.',
    };
  },
};

export default scenario;
