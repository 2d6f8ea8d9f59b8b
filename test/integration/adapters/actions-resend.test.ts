import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdapter } from '../../../adapters';
import { message } from '../../../adapters/models';
import { type ResendFake, startResendFake } from '../../fakes/resend';
import { runAction } from './action-helpers';
import { expectProviderError, secretsOf } from './verify-helpers';

let resend: ResendFake;

beforeAll(async () => {
  resend = await startResendFake();
});
afterAll(() => resend.stop());

const run = (action: string, input: Record<string, unknown>, credentials = resend.valid) =>
  runAction('resend', action, { credentials, baseUrl: resend.apiBaseUrl }, input);

const schemaOf = async (action: string) => {
  const decl = (await loadAdapter('resend'))?.manifest.actions.find((a) => a.name === action);
  if (!decl) throw new Error(`no ${action}`);
  return decl.input;
};

const invoice = {
  from: 'Acme Billing <billing@acme.test>',
  to: 'jane@customer.test',
  subject: 'Your invoice #1042',
  html: '<p>Thanks for your order.</p>',
};

describe('resend send_email', () => {
  it('sends through POST /emails and answers the email as a message', async () => {
    const before = resend.requests.length;
    const t0 = Math.floor(Date.now() / 1000) * 1000;
    const data = await run('send_email', invoice);
    const sent = resend.emails().at(-1);
    expect(sent).toMatchObject({
      from: invoice.from,
      to: ['jane@customer.test'],
      subject: invoice.subject,
      html: invoice.html,
      text: null,
      last_event: 'sent',
    });
    expect(data).toEqual({
      message: {
        id: sent?.id,
        text: invoice.subject,
        channel: null,
        author: invoice.from,
        url: null,
        thread_id: null,
        created_at: expect.any(String),
      },
    });
    const m = data.message as Record<string, unknown>;
    expect(message.safeParse(m).success).toBe(true);
    // Resend's Date header: whole seconds, within this test.
    expect(Date.parse(m.created_at as string)).toBeGreaterThanOrEqual(t0);
    expect(Date.parse(m.created_at as string)).toBeLessThanOrEqual(Date.now());
    const call = resend.requests.slice(before);
    expect(call.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /emails']);
    expect(call[0]?.headers.authorization).toBe(`Bearer ${secretsOf(resend.valid)[0]}`);
  });

  it('passes recipients, copies, reply-to, text and tags on as Resend names them', async () => {
    const input = {
      from: 'ops@mail.acme.test',
      to: ['a@customer.test', 'B <b@customer.test>'],
      cc: 'c@customer.test',
      bcc: ['audit@acme.test'],
      reply_to: 'support@acme.test',
      subject: 'Maintenance tonight',
      text: 'We will be down from 22:00 to 23:00 UTC.',
      tags: [{ name: 'category', value: 'maintenance' }],
    };
    const data = await run('send_email', input);
    const sent = resend.email((data.message as { id: string }).id);
    expect(sent).toMatchObject({
      from: 'ops@mail.acme.test',
      to: ['a@customer.test', 'B <b@customer.test>'],
      cc: ['c@customer.test'],
      bcc: ['audit@acme.test'],
      reply_to: ['support@acme.test'],
      text: input.text,
      html: null,
      tags: [{ name: 'category', value: 'maintenance' }],
    });
  });

  it('refuses input without a body, over 50 recipients or with a malformed tag before calling', async () => {
    const schema = await schemaOf('send_email');
    const { html: _, ...bodiless } = invoice;
    expect(schema.safeParse(bodiless).success).toBe(false);
    expect(schema.safeParse({ ...bodiless, text: 'hi' }).success).toBe(true);
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@customer.test`);
    expect(schema.safeParse({ ...invoice, to: many }).success).toBe(false);
    expect(schema.safeParse({ ...invoice, to: many.slice(0, 50) }).success).toBe(true);
    expect(schema.safeParse({ ...invoice, to: [] }).success).toBe(false);
    expect(schema.safeParse({ ...invoice, tags: [{ name: 'has space' }] }).success).toBe(false);
    expect(schema.safeParse({ ...invoice, subject: '' }).success).toBe(false);
  });

  it("is rejected with Resend's 422 message for an address it refuses, sending nothing", async () => {
    const count = resend.emails().length;
    await expectProviderError(run('send_email', { ...invoice, to: 'not-an-address' }), 'rejected', {
      message:
        'Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.',
      status: 422,
    });
    expect(resend.emails()).toHaveLength(count);
  });

  it("is rejected with Resend's 403 message from a domain the team has not verified", async () => {
    await expectProviderError(run('send_email', { ...invoice, from: 'Acme <hi@acme.example>' }), 'rejected', {
      message:
        'The acme.example domain is not verified. Please, add and verify your domain on https://resend.com/domains',
      status: 403,
    });
  });

  it('works with a sending-only key', async () => {
    const data = await run('send_email', invoice, resend.sendingOnly);
    expect(resend.email((data.message as { id: string }).id)).toBeDefined();
  });

  it('is rate_limited for as long as retry-after says', async () => {
    resend.failNext('rate_limit', 7);
    const e = await expectProviderError(run('send_email', invoice), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBe(7);
  });

  it('is unreachable on a 5xx', async () => {
    resend.failNext('down');
    await expectProviderError(run('send_email', invoice), 'unreachable', { status: 500 });
  });
});

describe('resend get_email', () => {
  it('reads an email: the message, its recipients and last event', async () => {
    const created = Date.parse('2026-03-02T10:20:30.123Z');
    const id = resend.seedEmail({
      from: 'Acme <billing@acme.test>',
      to: ['jane@customer.test'],
      cc: ['boss@customer.test'],
      subject: 'Receipt',
      created,
      last_event: 'opened',
    });
    const before = resend.requests.length;
    const data = await run('get_email', { id });
    expect(resend.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /emails/${id}`]);
    expect(data).toEqual({
      message: {
        id,
        text: 'Receipt',
        channel: null,
        author: 'Acme <billing@acme.test>',
        url: null,
        thread_id: null,
        // Resend answers `2026-03-02 10:20:30.123981+00`.
        created_at: '2026-03-02T10:20:30.123Z',
        to: ['jane@customer.test'],
        cc: ['boss@customer.test'],
        // `[null]` at Resend: none.
        bcc: [],
        reply_to: [],
        last_event: 'opened',
      },
    });
    expect(message.safeParse(data.message).success).toBe(true);
  });

  it('reads an email just sent, and its delivery', async () => {
    const sent = await run('send_email', invoice);
    const id = (sent.message as { id: string }).id;
    expect(await run('get_email', { id })).toMatchObject({ message: { id, last_event: 'sent' } });
    resend.advance(id, 'email.delivered');
    expect(await run('get_email', { id })).toMatchObject({ message: { id, last_event: 'delivered' } });
  });

  it("is rejected with Resend's message for an unknown or malformed id", async () => {
    await expectProviderError(run('get_email', { id: '3f0a2b8e-1c4d-4e5f-9a6b-7c8d9e0f1a2b' }), 'rejected', {
      message: 'Email not found',
      status: 404,
    });
    await expectProviderError(run('get_email', { id: 'abc' }), 'rejected', {
      message: 'Invalid `id` field. The `id` must be a valid UUID.',
      status: 422,
    });
    expect((await schemaOf('get_email')).safeParse({ id: '../domains' }).success).toBe(false);
  });

  it('is rejected for a sending-only key', async () => {
    const id = resend.seedEmail();
    await expectProviderError(run('get_email', { id }, resend.sendingOnly), 'rejected', {
      message: 'This API key is restricted to only send emails',
      status: 401,
    });
  });

  it('is rate_limited, and unreachable on a 5xx', async () => {
    const id = resend.seedEmail();
    resend.failNext('rate_limit', 3);
    const e = await expectProviderError(run('get_email', { id }), 'rate_limited', { status: 429 });
    expect(e.retryAfterSeconds).toBe(3);
    resend.setDown(true);
    try {
      await expectProviderError(run('get_email', { id }), 'unreachable', { status: 500 });
    } finally {
      resend.setDown(false);
    }
  });
});
