import { randomUUID } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { createResendWebhooks, type ResendWebhookControls } from './resend-webhooks';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';

/**
 * Resend (api.resend.com): the team's domains and API keys, sending and reading emails, and the
 * events of those emails sent to a registered webhook endpoint (resend-webhooks.ts).
 *
 * Credentials: `Authorization: Bearer re_…`. Without one Resend answers 401 missing_api_key; an
 * unknown key 401 `{"statusCode":401,"message":"API key is invalid","name":"validation_error"}`;
 * a `sending_access` key anything but POST /emails 401 restricted_api_key. Every error body is
 * `{statusCode, message, name}`. Rate limit: 2 requests a second per team, with `ratelimit-limit`,
 * `ratelimit-remaining`, `ratelimit-reset` on every answer, and a 429 rate_limit_exceeded with
 * `retry-after` when over it (the fake limits only through `failNext`).
 * https://resend.com/docs/api-reference/introduction
 * https://resend.com/docs/api-reference/errors
 * https://resend.com/docs/api-reference/rate-limit
 */

export type ResendFailure = 'refuse' | 'down' | 'rate_limit';

/** What Resend reports as an email's `last_event`, and the webhook event that sets each. */
export const emailEvents = {
  'email.sent': 'sent',
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delivery_delayed',
  'email.complained': 'complained',
  'email.bounced': 'bounced',
  'email.opened': 'opened',
  'email.clicked': 'clicked',
} as const;
export type EmailEvent = keyof typeof emailEvents;

export type FakeEmail = {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  reply_to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  tags: { name: string; value?: string }[];
  created: number;
  last_event: string;
};

export type FakeDomain = { id: string; name: string; status: string; created: number };

export type ResendFakeOptions = {
  /** The team's verified domains, oldest first; default acme.test and mail.acme.test. */
  domains?: string[];
};

export type ResendFake = ProviderFake<Credentials> &
  ResendWebhookControls & {
    /** A `sending_access` key of the same team: POST /emails only. */
    sendingOnly: Credentials;
    /** The account owner's address: what onboarding@resend.dev may send to. */
    ownerEmail: string;
    domains(): FakeDomain[];
    /** Adds a domain (`verified` unless told: `not_started`, `pending`, `failed`…); returns its id. */
    addDomain(name: string, status?: string): string;
    /** Every email the team sent, oldest first. */
    emails(): FakeEmail[];
    email(id: string): FakeEmail | undefined;
    /** An email sent earlier (no event); returns its id. */
    seedEmail(fields?: Partial<Omit<FakeEmail, 'id'>>): string;
    /** Something happened to a sent email: its `last_event` changes and the event is sent. */
    advance(id: string, event: EmailEvent): void;
    /** The next request answers a refusal, a 5xx or a 429 with `retry-after` (default 1 s). */
    failNext(kind: ResendFailure, retryAfterSeconds?: number): void;
  };

const apiError = (status: number, name: string, message: string, headers: Record<string, string> = {}) =>
  reply(status, { statusCode: status, message, name }, headers);

/** Resend's instants in lists and webhooks: `2023-04-26T20:21:26.347412+00:00`. */
const isoOf = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}412+00:00`;
/** What GET /emails/{id} answers: Postgres' `2023-04-03 22:13:42.674981+00`. */
const pgOf = (ms: number) => `${new Date(ms).toISOString().slice(0, 23).replace('T', ' ')}981+00`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// `jane@acme.com` or `Jane Doe <jane@acme.com>`.
const ADDRESS = /^(?:[^<>@]*<\s*[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+\s*>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/;
const TAG = /^[A-Za-z0-9_-]{1,256}$/;

const domainOf = (address: string) =>
  (/<([^<>]*)>\s*$/.exec(address)?.[1] ?? address).split('@').pop()?.trim().toLowerCase() ?? '';

const listOf = (v: unknown): unknown[] | undefined =>
  v === undefined || v === null ? undefined : Array.isArray(v) ? v : [v];

export const startResendFake = async (options: ResendFakeOptions = {}): Promise<ResendFake> => {
  const hooks = createResendWebhooks();
  const ownerEmail = 'owner@acme.test';
  const started = Date.now();
  const keys = [
    { id: randomUUID(), name: 'Production', token: `re_${randomToken(8)}_${randomToken(24)}`, full: true },
    { id: randomUUID(), name: 'Sending', token: `re_${randomToken(8)}_${randomToken(24)}`, full: false },
  ].map((k, i) => ({ ...k, created: started - 86_400_000 * (30 - i) }));
  const domains: FakeDomain[] = [];
  const emails: FakeEmail[] = [];
  const failures: { kind: ResendFailure; wait: number }[] = [];

  const addDomain = (name: string, status = 'verified'): string => {
    const id = randomUUID();
    domains.push({ id, name, status, created: started - 86_400_000 * (20 - domains.length) });
    return id;
  };
  for (const name of options.domains ?? ['acme.test', 'mail.acme.test']) addDomain(name);

  const rateHeaders = (remaining: number, reset: number) => ({
    'ratelimit-limit': '2',
    'ratelimit-remaining': String(remaining),
    'ratelimit-reset': String(reset),
  });

  const takeFailure = (): FakeReply | undefined => {
    const f = failures.shift();
    if (!f) return undefined;
    if (f.kind === 'refuse') {
      return apiError(422, 'validation_error', 'Invalid `id` field. The `id` must be a valid UUID.');
    }
    if (f.kind === 'down') return apiError(500, 'internal_server_error', 'An unexpected error occurred.');
    return apiError(
      429,
      'rate_limit_exceeded',
      'Too many requests. You can only make 2 requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.',
      { ...rateHeaders(0, f.wait), 'retry-after': String(f.wait) },
    );
  };

  const eventData = (e: FakeEmail) => ({
    created_at: isoOf(e.created),
    email_id: e.id,
    from: e.from,
    to: e.to,
    subject: e.subject,
    ...(e.tags.length ? { tags: Object.fromEntries(e.tags.map((t) => [t.name, t.value ?? ''])) } : {}),
  });

  const advance = (id: string, event: EmailEvent) => {
    const e = emails.find((x) => x.id === id);
    if (!e) throw new Error(`no email ${id}`);
    e.last_event = emailEvents[event];
    const extra =
      event === 'email.bounced'
        ? {
            bounce: {
              message: "The recipient's email provider sent a hard bounce message.",
              subType: 'Suppressed',
              type: 'Permanent',
            },
          }
        : event === 'email.clicked'
          ? {
              click: {
                ipAddress: '122.115.53.11',
                link: 'https://acme.test/welcome',
                timestamp: new Date().toISOString(),
                userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)',
              },
            }
          : {};
    hooks.emit(event, { ...eventData(e), ...extra });
  };

  const store = (fields: Partial<Omit<FakeEmail, 'id'>>): FakeEmail => {
    const e: FakeEmail = {
      id: randomUUID(),
      from: 'Acme <billing@acme.test>',
      to: ['jane@customer.test'],
      cc: [],
      bcc: [],
      reply_to: [],
      subject: 'Your invoice',
      html: '<p>Thanks for your order.</p>',
      text: null,
      tags: [],
      created: Date.now(),
      last_event: 'delivered',
      ...fields,
    };
    emails.push(e);
    return e;
  };

  // https://resend.com/docs/api-reference/emails/send-email
  const send = (req: FakeRequest): FakeReply => {
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return apiError(422, 'validation_error', 'Invalid JSON body.');
    }
    for (const field of ['from', 'to', 'subject']) {
      const v = b[field];
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
        return apiError(422, 'missing_required_field', `Missing \`${field}\` field.`);
      }
    }
    if (typeof b.html !== 'string' && typeof b.text !== 'string') {
      return apiError(422, 'missing_required_field', 'Missing `html` or `text` field.');
    }
    const lists: Record<string, string[]> = {};
    for (const field of ['from', 'to', 'cc', 'bcc', 'reply_to']) {
      const list = listOf(b[field]) ?? [];
      if (!list.every((a) => typeof a === 'string' && ADDRESS.test(a.trim()))) {
        return apiError(
          422,
          'validation_error',
          `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
        );
      }
      lists[field] = list as string[];
    }
    if ((lists.to?.length ?? 0) > 50) {
      return apiError(422, 'validation_error', 'Too many recipients in `to` field. The maximum is 50.');
    }
    const tags = (listOf(b.tags) ?? []) as { name?: unknown; value?: unknown }[];
    if (
      !tags.every(
        (t) =>
          typeof t.name === 'string' &&
          TAG.test(t.name) &&
          (t.value === undefined || (typeof t.value === 'string' && TAG.test(t.value))),
      )
    ) {
      return apiError(
        422,
        'validation_error',
        'Tags should only contain ASCII letters, numbers, underscores, or dashes.',
      );
    }
    const from = String(b.from);
    const domain = domainOf(from);
    if (domain === 'resend.dev') {
      const others = [...(lists.to ?? []), ...(lists.cc ?? []), ...(lists.bcc ?? [])].filter(
        (a) =>
          domainOf(a) !== 'resend.dev' &&
          (/<([^<>]*)>/.exec(a)?.[1] ?? a).trim().toLowerCase() !== ownerEmail,
      );
      if (others.length > 0) {
        return apiError(
          403,
          'validation_error',
          `You can only send testing emails to your own email address (${ownerEmail}). To send emails to other recipients, please verify a domain at resend.com/domains, and change the \`from\` address to an email using this domain.`,
        );
      }
    } else if (!domains.some((d) => d.name === domain && d.status === 'verified')) {
      return apiError(
        403,
        'validation_error',
        `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`,
      );
    }
    const e = store({
      from,
      to: lists.to ?? [],
      cc: lists.cc ?? [],
      bcc: lists.bcc ?? [],
      reply_to: lists.reply_to ?? [],
      subject: String(b.subject),
      html: typeof b.html === 'string' ? b.html : null,
      text: typeof b.text === 'string' ? b.text : null,
      tags: tags as FakeEmail['tags'],
      last_event: 'sent',
    });
    hooks.emit('email.sent', eventData(e));
    return reply(200, { id: e.id });
  };

  // https://resend.com/docs/api-reference/emails/retrieve-email
  const getEmail = (id: string): FakeReply => {
    if (!UUID.test(id))
      return apiError(422, 'validation_error', 'Invalid `id` field. The `id` must be a valid UUID.');
    const e = emails.find((x) => x.id === id);
    if (!e) return apiError(404, 'not_found', 'Email not found');
    const orNull = (list: string[]) => (list.length ? list : [null]);
    return reply(200, {
      object: 'email',
      id: e.id,
      to: e.to,
      from: e.from,
      created_at: pgOf(e.created),
      subject: e.subject,
      html: e.html,
      text: e.text,
      bcc: orNull(e.bcc),
      cc: orNull(e.cc),
      reply_to: orNull(e.reply_to),
      last_event: e.last_event,
      scheduled_at: null,
      tags: e.tags.length ? e.tags : null,
    });
  };

  const server = await startFakeServer(
    (req) => {
      const failed = takeFailure();
      if (failed) return failed;
      const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (token === undefined) {
        return apiError(401, 'missing_api_key', 'Missing API key in the authorization header.');
      }
      const key = keys.find((k) => k.token === token);
      if (!key) return apiError(401, 'validation_error', 'API key is invalid');
      const answer = (r: FakeReply): FakeReply => ({ ...r, headers: { ...rateHeaders(1, 1), ...r.headers } });
      const sending = req.method === 'POST' && req.path === '/emails';
      if (!key.full && !sending) {
        return answer(apiError(401, 'restricted_api_key', 'This API key is restricted to only send emails'));
      }
      if (sending) return answer(send(req));
      if (req.method === 'GET' && req.path === '/domains') {
        // https://resend.com/docs/api-reference/domains/list-domains: newest first
        return answer(
          reply(200, {
            object: 'list',
            has_more: false,
            data: [...domains].reverse().map((d) => ({
              id: d.id,
              name: d.name,
              status: d.status,
              created_at: isoOf(d.created),
              region: 'us-east-1',
              capabilities: { sending: 'enabled', receiving: 'disabled' },
            })),
          }),
        );
      }
      if (req.method === 'GET' && req.path === '/api-keys') {
        // https://resend.com/docs/api-reference/api-keys/list-api-keys
        return answer(
          reply(200, {
            object: 'list',
            has_more: false,
            data: [...keys].reverse().map((k) => ({ id: k.id, name: k.name, created_at: isoOf(k.created) })),
          }),
        );
      }
      const one = /^\/emails\/([^/]+)$/.exec(req.path);
      if (req.method === 'GET' && one) return answer(getEmail(decodeURIComponent(one[1] as string)));
      if (one || ['/emails', '/domains', '/api-keys'].includes(req.path)) {
        return answer(apiError(405, 'method_not_allowed', 'Method is not allowed for the requested path.'));
      }
      return answer(apiError(404, 'not_found', 'The requested endpoint does not exist.'));
    },
    apiError(500, 'internal_server_error', 'An unexpected error occurred.'),
  );

  const [full, sendingKey] = keys as [(typeof keys)[number], (typeof keys)[number]];
  const oldest = domains[0];
  return {
    ...server,
    ...hooks,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: full.token }),
    sendingOnly: registerSecrets({ type: 'api_key', api_key: sendingKey.token }),
    account: oldest
      ? { id: oldest.id, name: oldest.name }
      : { id: full.id, name: `Resend (no domain; key ${full.name})` },
    ownerEmail,
    domains: () => domains,
    addDomain,
    emails: () => emails,
    email: (id) => emails.find((e) => e.id === id),
    seedEmail: (fields = {}) => store({ created: Date.now() - 3_600_000, ...fields }).id,
    advance,
    failNext: (kind, retryAfterSeconds = 1) => {
      failures.push({ kind, wait: retryAfterSeconds });
    },
  };
};
