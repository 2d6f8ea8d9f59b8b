import * as z from 'zod/mini';
import { defineAction, defineManifest } from '../types';
import { config } from './config';

/**
 * An address as Resend takes it: `jane@acme.com` or `Jane <jane@acme.com>`. Resend checks the
 * form itself and answers 422 with what is wrong, so this only keeps out the empty and absurd.
 */
const address = z.string().check(z.minLength(3), z.maxLength(320));
/** One address, or up to `max` of them. https://resend.com/docs/api-reference/emails/send-email */
const addresses = (max: number, what: string) =>
  z.union([address, z.array(address).check(z.minLength(1), z.maxLength(max))]).check(z.describe(what));
// Tag names and values: ASCII letters, digits, `_` and `-`, up to 256 characters.
const tagPart = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,256}$/));

export const sendEmailInput = z
  .object({
    from: address.check(z.describe('Sender on a domain verified at Resend, e.g. "Acme <billing@acme.com>"')),
    to: addresses(50, 'Recipient, or up to 50 of them'),
    subject: z.string().check(z.minLength(1), z.maxLength(998), z.describe('Subject line')),
    html: z.optional(z.string().check(z.minLength(1), z.describe('HTML body (html or text is required)'))),
    text: z.optional(
      z.string().check(z.minLength(1), z.describe('Plain-text body (html or text is required)')),
    ),
    cc: z.optional(addresses(50, 'Cc recipient(s)')),
    bcc: z.optional(addresses(50, 'Bcc recipient(s)')),
    reply_to: z.optional(addresses(50, 'Reply-To address(es)')),
    tags: z.optional(
      z
        .array(z.object({ name: tagPart, value: z.optional(tagPart) }))
        .check(z.maxLength(50), z.describe('Tags Resend reports back in events: [{name, value}]')),
    ),
  })
  .check(
    z.refine((v) => v.html !== undefined || v.text !== undefined, {
      message: 'html or text is required',
      path: ['text'],
    }),
  );

export const getEmailInput = z.object({
  id: z
    .string()
    .check(z.regex(/^[A-Za-z0-9-]{1,64}$/), z.describe("The email's id, as send_email answered it")),
});

export const manifest = defineManifest({
  name: 'resend',
  displayName: 'Resend',
  categories: ['communication'],
  curated: false,
  docsUrl: 'https://resend.com/docs/api-reference/introduction',
  apiBaseUrl: 'https://api.resend.com',
  hosts: ['resend.com', '*.resend.com'],
  auth: {
    api_key: {
      // A `Full access` key: connecting lists the team's domains, which a `Sending access`
      // key may not (401 restricted_api_key).
      fields: [
        {
          name: 'api_key',
          label: 'API key (re_…, full access)',
          secret: true,
          help: 'In Resend: API Keys → Create API Key, with Full access permission.',
        },
      ],
      docsUrl: 'https://resend.com/docs/dashboard/api-keys/introduction',
    },
  },
  // https://resend.com/docs/api-reference/introduction
  proxy: { headers: { api_key: { authorization: 'Bearer {api_key}' } } },
  config,
  // Resend holds no records of the unified models; its events reach the tenant as
  // `provider.event` through webhooks.
  syncs: [],
  actions: [
    defineAction({
      name: 'send_email',
      description: 'Send an email (html and/or text) from a domain verified at Resend.',
      writes: true,
      input: sendEmailInput,
    }),
    defineAction({
      name: 'get_email',
      description: 'Read a sent email: sender, recipients, subject and its last delivery event.',
      writes: false,
      input: getEmailInput,
    }),
  ],
  webhooks: {
    events: [
      'email.sent',
      'email.delivered',
      'email.delivery_delayed',
      'email.complained',
      'email.bounced',
      'email.opened',
      'email.clicked',
    ],
    // Resend signs through Svix: svix-id, svix-timestamp, svix-signature `v1,<base64>`.
    signature: { scheme: 'svix', header: 'svix-signature' },
    docsUrl: 'https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests',
  },
});
