import { expect } from 'vitest';
import { startResendFake } from '../../fakes/resend';
import type { Json } from '../harness';
import type { ProviderScenario } from './scenario';

/**
 * Resend against its fake, connected with a full-access API key: a team with two verified
 * domains and an email sent earlier (and delivered). No syncs — Resend holds nothing of the
 * unified models; its tools send and read emails.
 */
const scenario: ProviderScenario = {
  provider: 'resend',
  start: async () => {
    const resend = await startResendFake();
    const earlier = resend.seedEmail({
      from: 'Acme <billing@acme.test>',
      to: ['jane@customer.test'],
      subject: 'Your invoice #1041',
      last_event: 'delivered',
    });

    return {
      stop: () => resend.stop(),
      integration: { provider: 'resend', endpoints: { api_base_url: resend.apiBaseUrl } },
      connection: { credentials: resend.valid as Record<string, unknown> },
      syncs: {},
      actions: {
        send_email: {
          input: {
            from: 'Acme Billing <billing@acme.test>',
            to: ['jane@customer.test'],
            subject: 'Your invoice #1042',
            html: '<p>Thanks for your order.</p>',
            tags: [{ name: 'category', value: 'invoice' }],
          },
          check: (data: Json) => {
            const sent = resend.emails().at(-1);
            expect(sent).toMatchObject({ subject: 'Your invoice #1042', to: ['jane@customer.test'] });
            expect(data.message).toMatchObject({
              id: sent?.id,
              text: 'Your invoice #1042',
              author: 'Acme Billing <billing@acme.test>',
              channel: null,
            });
          },
        },
        get_email: {
          input: { id: earlier },
          check: (data: Json) => {
            expect(data.message).toMatchObject({
              id: earlier,
              text: 'Your invoice #1041',
              author: 'Acme <billing@acme.test>',
              to: ['jane@customer.test'],
              last_event: 'delivered',
            });
          },
        },
      },
      probe: 'get_email',
      failNext: (kind, retryAfterSeconds) => resend.failNext(kind, retryAfterSeconds),
      refusalMessage: 'Invalid `id` field. The `id` must be a valid UUID.',
    };
  },
};

export default scenario;
