import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

/**
 * A header value we write into a mail: no CR or LF, which would end the header and let the
 * caller add headers of their own (a `Bcc:` smuggled in a subject). Refused here, so it is a
 * 422 `validation_failed` naming the field before anything is built or sent.
 */
const NO_LINE_BREAKS = /^[^\r\n]*$/;
const headerText = (what: string) =>
  z.string().check(z.regex(NO_LINE_BREAKS, `${what} may not contain line breaks`));
/** An address: z.email() allows no CR/LF (nor spaces), so it cannot carry a header either. */
const addresses = (describe: string) => z.array(z.email()).check(z.minLength(1), z.describe(describe));

/** Gmail's message and thread ids: hexadecimal strings; anything else is not one of theirs. */
const gmailId = (describe: string) =>
  z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/), z.describe(describe));

export const sendEmailInput = z.object({
  to: addresses('Recipients (e-mail addresses)'),
  subject: headerText('subject').check(z.maxLength(998), z.describe('Subject line')),
  body: z.string().check(z.maxLength(1_000_000), z.describe('Plain-text body')),
  cc: z.optional(addresses('Cc recipients')),
  bcc: z.optional(addresses('Bcc recipients')),
  thread_id: z.optional(gmailId('Reply in this Gmail thread: the reply threads under its latest message')),
});

export const listMessagesInput = z.object({
  q: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(2000),
        z.describe('Gmail search, as in the search box: from:lea is:unread'),
      ),
  ),
  max: z.optional(z.int().check(z.minimum(1), z.maximum(100), z.describe('How many messages; default 20'))),
  cursor: z.optional(z.string().check(z.minLength(1), z.describe('next_cursor of the previous page'))),
});

export const getMessageInput = z.object({ id: gmailId('Gmail message id') });

export const manifest = defineManifest({
  name: 'gmail',
  displayName: 'Gmail',
  categories: ['mail'],
  curated: true,
  docsUrl: 'https://developers.google.com/workspace/gmail/api/reference/rest',
  apiBaseUrl: 'https://gmail.googleapis.com/gmail/v1',
  hosts: ['gmail.googleapis.com', 'www.googleapis.com', 'oauth2.googleapis.com', 'accounts.google.com'],
  auth: {
    // Google's OAuth server, as for Google Calendar (the same flow and revocation code,
    // adapters/google-calendar); one Google Cloud OAuth client may serve both integrations.
    oauth2: {
      authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenUrl: 'https://oauth2.googleapis.com/token',
      // Reading and sending; gmail.modify (labels, trash) is not needed by any sync or action.
      // https://developers.google.com/workspace/gmail/api/auth/scopes
      defaultScopes: [
        'https://www.googleapis.com/auth/gmail.readonly',
        'https://www.googleapis.com/auth/gmail.send',
      ],
      scopeDescriptions: {
        'https://www.googleapis.com/auth/gmail.readonly': 'View your email messages and settings',
        'https://www.googleapis.com/auth/gmail.send': 'Send email on your behalf',
      },
      scopeSeparator: ' ',
      // https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
      pkce: true,
      // As for Calendar: a refresh token only with access_type=offline and a consent screen.
      // https://developers.google.com/identity/protocols/oauth2/web-server#offline
      authorizationParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
      refreshes: true,
      // https://developers.google.com/identity/protocols/oauth2#expiration
      revokedGrant: ['Token has been expired or revoked'],
      docsUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
    },
  },
  // https://developers.google.com/identity/protocols/oauth2/web-server#callinganapi
  proxy: { headers: { oauth2: { authorization: 'Bearer {access_token}' } } },
  config,
  syncs: [
    defineSync({
      name: 'messages',
      model: 'message',
      description:
        'Messages of the mailbox (spam and trash left out; narrowed by config.q when set); incremental with Gmail history ids, deletions included.',
      defaultFrequency: '15m',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'send_email',
      description:
        'Send a plain-text e-mail from the connected account, optionally with cc/bcc, or as a reply in a Gmail thread.',
      writes: true,
      input: sendEmailInput,
    }),
    defineAction({
      name: 'list_messages',
      description:
        'List messages, newest first, optionally matching a Gmail search (from:, subject:, is:unread…).',
      writes: false,
      input: listMessagesInput,
    }),
    defineAction({
      name: 'get_message',
      description: 'Read one message: subject, sender, recipients and its plain-text body.',
      writes: false,
      input: getMessageInput,
    }),
  ],
});
