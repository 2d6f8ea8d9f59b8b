import { createHmac, randomBytes } from 'node:crypto';
import type { Credentials } from '../../adapters/types';
import { sensitive } from '../leak-watch';
import {
  basicClient,
  createGrants,
  errorPage,
  type OAuthFakeControls,
  tokenParams,
  withQuery,
} from './oauth-grants';
import {
  type FakeReply,
  type FakeRequest,
  type ProviderFake,
  randomToken,
  registerSecrets,
  reply,
  startFakeServer,
} from './server';
import { createWebhookOutbox, type WebhookOutboxControls } from './webhook-outbox';

/**
 * Stripe (api.stripe.com and connect.stripe.com on one server): an account's customers,
 * subscriptions and invoices, the Events API, billing portal sessions, Connect OAuth, and
 * signed webhooks.
 *
 * Credentials: `Authorization: Bearer <key>`. No key → 401 "You did not provide an API key…";
 * an unknown one → 401 "Invalid API Key provided: sk_test_****…" (the key masked, its last four
 * shown). Restricted keys (`rk_…`) carry permissions: a call outside them answers 403 "The
 * provided key 'rk_test_***…' does not have the required permissions for this endpoint on
 * account 'acct_…'. Having the 'rak_…' permission would allow this request to continue."
 * Errors: `{ error: { type, code?, message, param? } }` — `invalid_request_error` (400, 403,
 * 404), `card_error` (402), `api_error` (5xx). Unknown parameters are refused ("Received
 * unknown parameter: x"). Every answer carries `request-id`; errors Stripe would retry carry
 * `stripe-should-retry: true`. 429 `rate_limit` ("Request rate limit exceeded…"); Stripe
 * documents backing off rather than a Retry-After, which the fake adds only when a test asks
 * for a wait.
 * Lists: `{ object: "list", url, has_more, data }`, newest first, `limit` 1–100 (default 10),
 * `starting_after` / `ending_before` ids.
 * https://docs.stripe.com/api/authentication
 * https://docs.stripe.com/api/errors
 * https://docs.stripe.com/api/pagination
 * https://docs.stripe.com/rate-limits
 * https://docs.stripe.com/connect/oauth-reference
 * https://docs.stripe.com/webhooks#verify-events
 */

export type StripeFailure = 'refuse' | 'down' | 'rate_limit';
/** How objects are rendered: the current API version ("basil", 2025-03-31 on) or before it. */
export type StripeApiShape = 'basil' | 'legacy';

export const subscriptionStatuses = [
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
  'incomplete',
  'incomplete_expired',
] as const;
export const invoiceStatuses = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;

type Obj = Record<string, unknown> & { id: string; created: number };
type Stored = { seq: number; obj: Obj };

export type StripeFakeOptions = {
  /** How subscriptions and invoices are rendered; default `basil`. */
  apiShape?: StripeApiShape;
};

export type StripeFake = ProviderFake<Credentials> &
  OAuthFakeControls &
  WebhookOutboxControls & {
    /** A restricted key that reads billing data but not the account (`GET /v1/account` → 403). */
    restricted: Credentials;
    /** A restricted key that may read the account only: every billing read is refused. */
    accountOnly: Credentials;
    /** The platform's secret key: what the Connect token endpoint authenticates with. */
    platformKey: string;
    seedCustomers(n: number, fields?: Record<string, unknown>): string[];
    seedSubscriptions(n: number, o?: { customer?: string; status?: string }): string[];
    seedInvoices(
      n: number,
      o?: { customer?: string; subscription?: string | null; status?: string },
    ): string[];
    customer(id: string): Obj | undefined;
    subscription(id: string): Obj | undefined;
    invoice(id: string): Obj | undefined;
    updateCustomer(id: string, fields: Record<string, unknown>): void;
    deleteCustomer(id: string): void;
    setSubscriptionStatus(id: string, status: string): void;
    payInvoice(id: string): void;
    failInvoicePayment(id: string): void;
    deleteInvoice(id: string): void;
    /** Events, newest first, as the Events API holds them. */
    events(): Obj[];
    /** Every API call as `METHOD path?query`, oldest first (the recorded requests keep no query). */
    calls(): string[];
    /** Portal sessions created, oldest first. */
    portalSessions(): Obj[];
    /** Connect accounts the platform was disconnected from. */
    deauthorized(): string[];
    /** Registers the webhook endpoint; returns its signing secret (`whsec_…`). `connect`: a Connect endpoint (events carry `account`). */
    registerWebhook(url: string, secret?: string, o?: { connect?: boolean }): string;
    /** The next API request answers a refusal, a 5xx, or a 429 (with Retry-After when a wait is given). */
    failNext(kind: StripeFailure, retryAfterSeconds?: number): void;
  };

const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const stripeId = (prefix: string) => {
  let s = '';
  for (const b of randomBytes(14)) s += CHARS[b % CHARS.length];
  return `${prefix}_${s}`;
};

const apiError = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  reply(status, { error }, headers);
const invalid = (message: string, o: { status?: number; code?: string; param?: string } = {}) =>
  apiError(o.status ?? 400, {
    type: 'invalid_request_error',
    message,
    ...(o.code
      ? { code: o.code, doc_url: `https://docs.stripe.com/error-codes/${o.code.replaceAll('_', '-')}` }
      : {}),
    ...(o.param ? { param: o.param } : {}),
  });

/** What Stripe shows of a key in errors: its prefix, stars, and its last four. */
const masked = (key: string) => {
  const prefix = /^(?:sk|rk|pk)_(?:test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
};

/** Stripe's form encoding, read back: `a=1&b[c]=2` as flat keys. */
const formOf = (body: string) => new URLSearchParams(body);

export const startStripeFake = async (options: StripeFakeOptions = {}): Promise<StripeFake> => {
  const shape = options.apiShape ?? 'basil';
  const accountId = stripeId('acct');
  const account = {
    id: accountId,
    object: 'account',
    business_profile: { name: 'Acme Inc', url: 'https://acme.test', support_email: 'billing@acme.test' },
    settings: { dashboard: { display_name: 'Acme', timezone: 'Etc/UTC' } },
    email: 'owner@acme.test',
    country: 'US',
    default_currency: 'usd',
    type: 'standard',
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
    created: Math.floor(Date.now() / 1000) - 86_400 * 400,
  };

  type Key = { key: string; permissions: 'all' | Set<string> };
  const secretKey = `sk_test_51${randomToken(97)}`;
  const restrictedKey = `rk_test_51${randomToken(97)}`;
  const accountOnlyKey = `rk_test_51${randomToken(97)}`;
  const platformKey = sensitive(`sk_test_51${randomToken(97)}`);
  const keys: Key[] = [
    { key: secretKey, permissions: 'all' },
    {
      key: restrictedKey,
      permissions: new Set([
        'balance_read',
        'customer_read',
        'subscription_read',
        'invoice_read',
        'event_read',
        'portal_write',
      ]),
    },
    { key: accountOnlyKey, permissions: new Set(['account_read']) },
  ];

  const grants = createGrants({
    clientId: `ca_${randomToken(32)}`,
    clientSecret: platformKey,
    redirectUris: undefined,
    codeTtlSeconds: 300,
    refreshTokens: true,
    refreshRevokesAccessToken: false,
    newCode: () => `ac_${randomToken(32)}`,
    newAccessToken: () => sensitive(`sk_test_51${randomToken(97)}`),
    newRefreshToken: () => sensitive(`rt_${randomToken(48)}`),
  });
  const deauthorized: string[] = [];

  const customers = new Map<string, Stored>();
  const subscriptions = new Map<string, Stored>();
  const invoices = new Map<string, Stored>();
  const events: Stored[] = [];
  const sessions: Obj[] = [];
  const failures: { kind: StripeFailure; wait: number | undefined }[] = [];
  let seq = 0;
  const now = () => Math.floor(Date.now() / 1000);

  // Webhooks: the Event, signed `t=<now>,v1=<hex HMAC of "t.body">`; a retry re-signs it.
  let hook: { url: string; secret: string; connect: boolean } | undefined;
  const signed = (body: string) => {
    if (!hook) throw new Error('no webhook endpoint: registerWebhook first');
    const t = now();
    const v1 = createHmac('sha256', hook.secret).update(`${t}.${body}`).digest('hex');
    return {
      url: hook.url,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        'stripe-signature': `t=${t},v1=${v1}`,
      },
      body,
    };
  };
  const outbox = createWebhookOutbox({ timeoutMs: 20_000, redelivery: (d) => signed(d.body) });

  const clone = (o: Obj): Obj => JSON.parse(JSON.stringify(o)) as Obj;

  /** An Event about `obj`, kept for the Events API and sent to the endpoint. */
  const emit = (type: string, obj: Obj, previous?: Record<string, unknown>) => {
    const e: Obj = {
      id: stripeId('evt'),
      object: 'event',
      api_version: shape === 'basil' ? '2025-03-31.basil' : '2024-06-20',
      created: now(),
      data: { object: render(obj), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: false,
      pending_webhooks: hook ? 1 : 0,
      request: { id: `req_${randomToken(14)}`, idempotency_key: null },
      type,
    };
    events.unshift({ seq: ++seq, obj: e });
    if (hook) {
      const sent = hook.connect ? { ...e, account: accountId } : e;
      void outbox.send(signed(JSON.stringify(sent)));
    }
  };

  /** An object as the API version renders it (basil moved the period and the invoice's subscription). */
  const render = (o: Obj): Obj => {
    const out = clone(o);
    if (out.object === 'subscription') {
      const end = out._period_end as number;
      const items = (out.items as { data: Record<string, unknown>[] }).data;
      if (shape === 'basil') for (const i of items) i.current_period_end = end;
      else out.current_period_end = end;
    }
    if (out.object === 'invoice') {
      const sub = out._subscription as string | null;
      if (shape === 'basil')
        out.parent = sub
          ? { type: 'subscription_details', subscription_details: { subscription: sub, metadata: {} } }
          : null;
      else out.subscription = sub;
    }
    for (const k of Object.keys(out)) if (k.startsWith('_')) delete out[k];
    return out;
  };

  const newCustomer = (i: number, fields: Record<string, unknown>): Obj => ({
    id: stripeId('cus'),
    object: 'customer',
    address: null,
    balance: i % 7 === 0 ? -500 : 0,
    created: now() - 86_400 * 30 + i,
    currency: i % 5 === 0 ? null : 'usd',
    default_source: null,
    delinquent: i % 11 === 0,
    description: null,
    email: `customer${i}@example.test`,
    invoice_prefix: randomToken(8).toUpperCase(),
    livemode: false,
    metadata: {},
    name: i % 9 === 0 ? null : `Customer ${i}`,
    phone: null,
    preferred_locales: [],
    tax_exempt: 'none',
    ...fields,
  });

  const put = (store: Map<string, Stored>, o: Obj) => {
    store.set(o.id, { seq: ++seq, obj: o });
    return o;
  };

  const anyCustomer = () => {
    const first = [...customers.values()][0];
    return first ? first.obj.id : (put(customers, newCustomer(0, {})).id as string);
  };

  const seedCustomers = (n: number, fields: Record<string, unknown> = {}) => {
    const base = customers.size;
    return Array.from({ length: n }, (_, i) => {
      const c = put(customers, newCustomer(base + i + 1, fields));
      emit('customer.created', c);
      return c.id;
    });
  };

  const seedSubscriptions = (n: number, o: { customer?: string; status?: string } = {}) =>
    Array.from({ length: n }, (_, i) => {
      const created = now() - 86_400 * 20 + i;
      const status = o.status ?? (subscriptionStatuses[i % subscriptionStatuses.length] as string);
      const ended = status === 'canceled' || status === 'incomplete_expired';
      const s = put(subscriptions, {
        id: stripeId('sub'),
        object: 'subscription',
        billing_cycle_anchor: created,
        cancel_at: null,
        cancel_at_period_end: i % 4 === 1,
        canceled_at: ended ? created + 3600 : null,
        collection_method: 'charge_automatically',
        created,
        currency: 'usd',
        customer: o.customer ?? anyCustomer(),
        ended_at: ended ? created + 3600 : null,
        items: {
          object: 'list',
          data: [
            {
              id: stripeId('si'),
              object: 'subscription_item',
              created,
              price: {
                id: stripeId('price'),
                object: 'price',
                active: true,
                currency: 'usd',
                product: stripeId('prod'),
                recurring: {
                  interval: i % 3 === 0 ? 'year' : 'month',
                  interval_count: 1,
                  usage_type: 'licensed',
                },
                type: 'recurring',
                unit_amount: 1900 + 100 * (i % 5),
              },
              quantity: 1 + (i % 3),
            },
          ],
          has_more: false,
          total_count: 1,
          url: '/v1/subscription_items',
        },
        livemode: false,
        metadata: {},
        start_date: created,
        status,
        trial_end: status === 'trialing' ? created + 86_400 * 14 : null,
        _period_end: created + 86_400 * 30,
      });
      emit('customer.subscription.created', s);
      return s.id;
    });

  const seedInvoices = (
    n: number,
    o: { customer?: string; subscription?: string | null; status?: string } = {},
  ) =>
    Array.from({ length: n }, (_, i) => {
      const created = now() - 86_400 * 10 + i;
      const status = o.status ?? (invoiceStatuses[i % invoiceStatuses.length] as string);
      const due = 2500 + 10 * i;
      const paid = status === 'paid' ? due : 0;
      const inv = put(invoices, {
        id: stripeId('in'),
        object: 'invoice',
        account_country: 'US',
        account_name: 'Acme Inc',
        amount_due: due,
        amount_paid: paid,
        amount_remaining: due - paid,
        collection_method: i % 2 ? 'send_invoice' : 'charge_automatically',
        created,
        currency: 'usd',
        customer: o.customer ?? anyCustomer(),
        due_date: i % 2 ? created + 86_400 * 30 : null,
        hosted_invoice_url:
          status === 'draft' ? null : `https://invoice.stripe.com/i/acct_test/test_${randomToken(40)}`,
        livemode: false,
        metadata: {},
        number:
          status === 'draft' ? null : `${randomToken(8).toUpperCase()}-${String(i + 1).padStart(4, '0')}`,
        status,
        status_transitions: {
          finalized_at: status === 'draft' ? null : created + 60,
          paid_at: status === 'paid' ? created + 120 : null,
          voided_at: status === 'void' ? created + 120 : null,
          marked_uncollectible_at: status === 'uncollectible' ? created + 120 : null,
        },
        total: due,
        _subscription:
          o.subscription === undefined
            ? ([...subscriptions.keys()][i % Math.max(1, subscriptions.size)] ?? null)
            : o.subscription,
      });
      emit('invoice.created', inv);
      return inv.id;
    });

  const must = (store: Map<string, Stored>, id: string) => {
    const s = store.get(id);
    if (!s) throw new Error(`no ${id}`);
    return s.obj;
  };

  // ---------------------------------------------------------------- the API

  type Who = { permissions: 'all' | Set<string>; key: string } | FakeReply;
  const authenticate = (req: FakeRequest): Who => {
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) {
      return invalid(
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        { status: 401 },
      );
    }
    const known = keys.find((k) => k.key === bearer);
    if (known) return known;
    const issued = grants.accessState(bearer);
    if (issued?.state === 'valid') {
      return { key: bearer, permissions: issued.scopes.includes('read_write') ? 'all' : new Set(['read']) };
    }
    if (issued)
      return invalid('The access token was revoked: the account disconnected the platform.', { status: 401 });
    return invalid(`Invalid API Key provided: ${masked(bearer)}`, { status: 401, code: 'api_key_invalid' });
  };

  /** Which permission an endpoint needs (restricted keys; `read` for a read_only Connect token). */
  const permissionFor = (method: string, path: string): string => {
    if (path === '/v1/account') return 'account_read';
    if (path === '/v1/balance') return 'balance_read';
    if (path.startsWith('/v1/customers')) return 'customer_read';
    if (path.startsWith('/v1/subscriptions')) return 'subscription_read';
    if (path.startsWith('/v1/invoices')) return 'invoice_read';
    if (path === '/v1/events') return 'event_read';
    if (path === '/v1/billing_portal/sessions' && method === 'POST') return 'portal_write';
    return 'other';
  };

  const allowed = (who: { permissions: 'all' | Set<string> }, permission: string, method: string) =>
    who.permissions === 'all' ||
    who.permissions.has(permission) ||
    (who.permissions.has('read') && method === 'GET');

  const forbidden = (key: string, permission: string) =>
    invalid(
      `The provided key '${masked(key)}' does not have the required permissions for this endpoint on account '${accountId}'. Having the 'rak_${permission}' permission would allow this request to continue.`,
      { status: 403 },
    );

  const unknownParam = (q: URLSearchParams, known: readonly string[]): FakeReply | undefined => {
    for (const k of q.keys()) {
      const base = k.replace(/\[.*$/, '');
      if (!known.includes(base))
        return invalid(`Received unknown parameter: ${k}`, { code: 'parameter_unknown', param: k });
    }
    return undefined;
  };

  /** A list answer of `items` (newest first) from `q`'s limit and cursors. */
  const list = (url: string, items: Stored[], q: URLSearchParams, what: string): FakeReply => {
    const rawLimit = q.get('limit');
    const limit = rawLimit === null ? 10 : Number(rawLimit);
    if (!Number.isInteger(limit)) return invalid(`Invalid integer: ${rawLimit}`, { param: 'limit' });
    if (limit < 1 || limit > 100)
      return invalid('This value must be greater than or equal to 1 and less than or equal to 100.', {
        param: 'limit',
      });
    const sorted = [...items].sort((a, b) => b.seq - a.seq);
    let from = 0;
    let to = sorted.length;
    const after = q.get('starting_after');
    const before = q.get('ending_before');
    if (after) {
      const i = sorted.findIndex((s) => s.obj.id === after);
      if (i < 0)
        return invalid(`No such ${what}: '${after}'`, { code: 'resource_missing', param: 'starting_after' });
      from = i + 1;
    }
    if (before) {
      const i = sorted.findIndex((s) => s.obj.id === before);
      if (i < 0)
        return invalid(`No such ${what}: '${before}'`, { code: 'resource_missing', param: 'ending_before' });
      to = i;
      from = Math.max(from, to - limit);
    }
    const page = sorted.slice(from, Math.min(to, from + limit));
    return reply(200, {
      object: 'list',
      data: page.map((s) => (s.obj.object === 'event' ? s.obj : render(s.obj))),
      has_more: before ? from > 0 : from + page.length < to,
      url,
    });
  };

  const createdFilter = (q: URLSearchParams): ((created: number) => boolean) | FakeReply => {
    const tests: ((c: number) => boolean)[] = [];
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      const raw = q.get(`created[${op}]`);
      if (raw === null) continue;
      const v = Number(raw);
      if (!Number.isInteger(v)) return invalid(`Invalid integer: ${raw}`, { param: `created[${op}]` });
      tests.push(
        op === 'gt'
          ? (c) => c > v
          : op === 'gte'
            ? (c) => c >= v
            : op === 'lt'
              ? (c) => c < v
              : (c) => c <= v,
      );
    }
    return (c) => tests.every((t) => t(c));
  };

  // https://docs.stripe.com/api/customer_portal/sessions/create
  const createSession = (req: FakeRequest): FakeReply => {
    if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      return invalid(
        'Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.',
      );
    }
    const f = formOf(req.body);
    const bad = unknownParam(f, [
      'customer',
      'return_url',
      'configuration',
      'locale',
      'on_behalf_of',
      'flow_data',
      'expand',
    ]);
    if (bad) return bad;
    const customer = f.get('customer');
    if (!customer)
      return invalid('Missing required param: customer.', { code: 'parameter_missing', param: 'customer' });
    const c = customers.get(customer);
    if (!c || c.obj.deleted)
      return invalid(`No such customer: '${customer}'`, { code: 'resource_missing', param: 'customer' });
    const returnUrl = f.get('return_url');
    if (returnUrl !== null && !/^https?:\/\/[^\s]+$/.test(returnUrl))
      return invalid('Not a valid URL', { code: 'url_invalid', param: 'return_url' });
    const session: Obj = {
      id: stripeId('bps'),
      object: 'billing_portal.session',
      configuration: f.get('configuration') ?? 'bpc_default',
      created: now(),
      customer,
      flow: null,
      livemode: false,
      locale: f.get('locale'),
      on_behalf_of: null,
      return_url: returnUrl,
      url: `https://billing.stripe.com/p/session/test_${randomToken(64)}`,
    };
    sessions.push(session);
    return reply(200, session);
  };

  const calls: string[] = [];
  const api = (req: FakeRequest): FakeReply => {
    calls.push(`${req.method} ${req.path}${req.query.size ? `?${req.query}` : ''}`);
    const failed = failures.shift();
    if (failed) {
      if (failed.kind === 'refuse')
        return invalid("No such customer: 'cus_Gone0000000000'", {
          code: 'resource_missing',
          param: 'starting_after',
        });
      if (failed.kind === 'down')
        return apiError(
          500,
          {
            type: 'api_error',
            message:
              "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at support.stripe.com/contact.",
          },
          { 'stripe-should-retry': 'true' },
        );
      return apiError(
        429,
        {
          type: 'invalid_request_error',
          code: 'rate_limit',
          message:
            'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
          doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
        },
        {
          'stripe-should-retry': 'true',
          ...(failed.wait !== undefined ? { 'retry-after': String(failed.wait) } : {}),
        },
      );
    }
    const who = authenticate(req);
    if ('status' in who) return who;
    const permission = permissionFor(req.method, req.path);
    if (!allowed(who, permission, req.method)) return forbidden(who.key, permission);
    const q = req.query;
    const get = req.method === 'GET';

    if (get && req.path === '/v1/account') return reply(200, account);
    if (get && req.path === '/v1/balance')
      return reply(200, {
        object: 'balance',
        available: [{ amount: 120_000, currency: 'usd', source_types: { card: 120_000 } }],
        livemode: false,
        pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
      });
    // https://docs.stripe.com/api/customers/list
    if (get && req.path === '/v1/customers') {
      const bad = unknownParam(q, [
        'limit',
        'starting_after',
        'ending_before',
        'email',
        'created',
        'expand',
        'test_clock',
      ]);
      if (bad) return bad;
      const email = q.get('email');
      const created = createdFilter(q);
      if ('status' in created) return created;
      const items = [...customers.values()].filter(
        (s) => !s.obj.deleted && (email === null || s.obj.email === email) && created(s.obj.created),
      );
      return list('/v1/customers', items, q, 'customer');
    }
    // https://docs.stripe.com/api/subscriptions/list
    if (get && req.path === '/v1/subscriptions') {
      const bad = unknownParam(q, [
        'limit',
        'starting_after',
        'ending_before',
        'status',
        'customer',
        'price',
        'created',
        'collection_method',
        'current_period_end',
        'current_period_start',
        'expand',
        'test_clock',
        'automatic_tax',
      ]);
      if (bad) return bad;
      const status = q.get('status');
      if (
        status !== null &&
        status !== 'all' &&
        status !== 'ended' &&
        !(subscriptionStatuses as readonly string[]).includes(status)
      )
        return invalid(
          `Invalid status: must be one of ${[...subscriptionStatuses, 'ended', 'all'].join(', ')}`,
          { param: 'status' },
        );
      const created = createdFilter(q);
      if ('status' in created) return created;
      const items = [...subscriptions.values()].filter((s) => {
        const st = s.obj.status as string;
        const byStatus =
          status === 'all' ||
          (status === null
            ? st !== 'canceled'
            : status === 'ended'
              ? st === 'canceled' || st === 'incomplete_expired'
              : st === status);
        return (
          byStatus &&
          (q.get('customer') === null || s.obj.customer === q.get('customer')) &&
          created(s.obj.created)
        );
      });
      return list('/v1/subscriptions', items, q, 'subscription');
    }
    // https://docs.stripe.com/api/subscriptions/retrieve
    const oneSub = /^\/v1\/subscriptions\/([^/]+)$/.exec(req.path);
    if (get && oneSub) {
      const id = decodeURIComponent(oneSub[1] as string);
      const s = subscriptions.get(id);
      if (!s)
        return invalid(`No such subscription: '${id}'`, {
          status: 404,
          code: 'resource_missing',
          param: 'id',
        });
      return reply(200, render(s.obj));
    }
    // https://docs.stripe.com/api/invoices/list
    if (get && req.path === '/v1/invoices') {
      const bad = unknownParam(q, [
        'limit',
        'starting_after',
        'ending_before',
        'status',
        'customer',
        'subscription',
        'created',
        'due_date',
        'collection_method',
        'expand',
      ]);
      if (bad) return bad;
      const created = createdFilter(q);
      if ('status' in created) return created;
      const status = q.get('status');
      const items = [...invoices.values()].filter(
        (s) => !s.obj.deleted && (status === null || s.obj.status === status) && created(s.obj.created),
      );
      return list('/v1/invoices', items, q, 'invoice');
    }
    // https://docs.stripe.com/api/events/list
    if (get && req.path === '/v1/events') {
      const bad = unknownParam(q, [
        'limit',
        'starting_after',
        'ending_before',
        'type',
        'types',
        'created',
        'delivery_success',
      ]);
      if (bad) return bad;
      const types = q.getAll('types[]');
      const type = q.get('type');
      if (type !== null && types.length)
        return invalid('You may only specify one of these parameters: type, types.');
      if (types.length > 20) return invalid('You may pass at most 20 types.', { param: 'types' });
      const created = createdFilter(q);
      if ('status' in created) return created;
      const matches = (t: string) =>
        type !== null
          ? type.endsWith('*')
            ? t.startsWith(type.slice(0, -1))
            : t === type
          : types.length === 0 || types.includes(t);
      const items = events.filter((e) => matches(e.obj.type as string) && created(e.obj.created));
      return list('/v1/events', items, q, 'event');
    }
    if (req.method === 'POST' && req.path === '/v1/billing_portal/sessions') return createSession(req);
    return invalid(
      `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      { status: 404 },
    );
  };

  // ---------------------------------------------------------------- Connect OAuth

  // https://docs.stripe.com/connect/oauth-reference#get-authorize
  const authorize = (req: FakeRequest): FakeReply => {
    const q = req.query;
    if (!grants.knowsClient(q.get('client_id')))
      return reply(
        400,
        errorPage('Invalid client_id', 'No application matches the supplied client identifier.'),
      );
    const redirectUri = q.get('redirect_uri') ?? grants.redirectUri;
    if (!grants.redirectAllowed(redirectUri))
      return reply(
        400,
        errorPage('Invalid redirect_uri', 'The redirect URI is not registered for this application.'),
      );
    const state = q.get('state');
    const back = (params: Record<string, string>) =>
      reply(302, undefined, { location: withQuery(redirectUri, { ...params, state }) });
    if (q.get('response_type') !== 'code')
      return back({ error: 'invalid_request', error_description: 'response_type must be code' });
    const scope = q.get('scope') ?? 'read_only';
    if (scope !== 'read_only' && scope !== 'read_write')
      return back({ error: 'invalid_scope', error_description: `Invalid scope: ${scope}` });
    if (grants.takeDenial())
      return back({ error: 'access_denied', error_description: 'The user denied your request' });
    return back({ code: grants.issueCode({ redirectUri, scopes: [scope] }), scope });
  };

  /** The platform authenticates with its secret key: HTTP Basic (key as user) or `client_secret`. */
  const platformAuthenticated = (req: FakeRequest, p: URLSearchParams) => {
    const basic = basicClient(req.headers.authorization);
    const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return (basic?.id ?? bearer ?? p.get('client_secret')) === platformKey;
  };

  // https://docs.stripe.com/connect/oauth-reference#post-token
  const token = (req: FakeRequest): FakeReply => {
    const p = tokenParams(req);
    const fail = (error: string, description: string, status = 400) =>
      reply(status, { error, error_description: description });
    if (!platformAuthenticated(req, p))
      return fail('invalid_client', 'No such api key: the platform secret key is required', 401);
    if (p.has('redirect_uri')) return fail('invalid_request', 'Received unknown parameter: redirect_uri');
    const grantType = p.get('grant_type');
    if (grantType === 'authorization_code') {
      const code = p.get('code') ?? '';
      const issued = grants.redeemCode({
        code,
        clientId: grants.clientId,
        redirectUri: undefined,
        codeVerifier: undefined,
      });
      if (!issued.ok) {
        return fail(
          'invalid_grant',
          issued.problem === 'used_code'
            ? `Authorization code already used: ${code}`
            : issued.problem === 'expired_code'
              ? `Authorization code expired: ${code}`
              : `Authorization code does not exist: ${code}`,
        );
      }
      return reply(200, {
        access_token: issued.tokens.accessToken,
        livemode: false,
        refresh_token: issued.tokens.refreshToken,
        scope: issued.tokens.scopes.join(' '),
        stripe_publishable_key: `pk_test_51${randomToken(97)}`,
        stripe_user_id: accountId,
        token_type: 'bearer',
      });
    }
    if (grantType === 'refresh_token') {
      const issued = grants.redeemRefresh({
        refreshToken: p.get('refresh_token') ?? '',
        clientId: grants.clientId,
      });
      if (!issued.ok) return fail('invalid_grant', `Refresh token does not exist: ${p.get('refresh_token')}`);
      return reply(200, {
        access_token: issued.tokens.accessToken,
        livemode: false,
        refresh_token: issued.tokens.refreshToken,
        scope: issued.tokens.scopes.join(' '),
        stripe_user_id: accountId,
        token_type: 'bearer',
      });
    }
    return fail('unsupported_grant_type', `Unsupported grant type: ${grantType}`);
  };

  // https://docs.stripe.com/connect/oauth-reference#post-deauthorize
  const deauthorize = (req: FakeRequest): FakeReply => {
    const p = tokenParams(req);
    if (!platformAuthenticated(req, p))
      return reply(401, { error: 'invalid_client', error_description: 'No such api key' });
    if (!grants.knowsClient(p.get('client_id')))
      return reply(400, {
        error: 'invalid_client',
        error_description: `No such application: '${p.get('client_id')}'`,
      });
    const user = p.get('stripe_user_id');
    if (user !== accountId || deauthorized.includes(user))
      return reply(400, {
        error: 'invalid_client',
        error_description: `This application is not connected to stripe account ${user}, or that account does not exist.`,
      });
    deauthorized.push(user);
    return reply(200, { stripe_user_id: user });
  };

  const server = await startFakeServer(
    (req) => {
      const answered = (r: FakeReply): FakeReply => ({
        ...r,
        headers: {
          'request-id': `req_${randomToken(14)}`,
          'stripe-version': shape === 'basil' ? '2025-03-31.basil' : '2024-06-20',
          ...r.headers,
        },
      });
      if (req.method === 'GET' && req.path === '/oauth/authorize') return authorize(req);
      if (req.method === 'POST' && req.path === '/oauth/token') return answered(token(req));
      if (req.method === 'POST' && req.path === '/oauth/deauthorize') return answered(deauthorize(req));
      return answered(api(req));
    },
    apiError(
      500,
      {
        type: 'api_error',
        message: "Sorry, something went wrong. We've already been notified of the problem.",
      },
      { 'stripe-should-retry': 'true' },
    ),
  );

  return {
    ...server,
    ...outbox.controls,
    apiBaseUrl: server.url,
    valid: registerSecrets({ type: 'api_key', api_key: secretKey }),
    restricted: registerSecrets({ type: 'api_key', api_key: restrictedKey }),
    accountOnly: registerSecrets({ type: 'api_key', api_key: accountOnlyKey }),
    account: { id: accountId, name: 'Acme Inc' },
    platformKey,
    oauthClient: { clientId: grants.clientId, clientSecret: platformKey, redirectUri: grants.redirectUri },
    authorizationUrl: `${server.url}/oauth/authorize`,
    tokenUrl: `${server.url}/oauth/token`,
    denyNext: grants.denyNext,
    expireCodes: grants.expireCodes,
    seedCustomers,
    seedSubscriptions,
    seedInvoices,
    customer: (id) => customers.get(id)?.obj,
    subscription: (id) => subscriptions.get(id)?.obj,
    invoice: (id) => invoices.get(id)?.obj,
    updateCustomer: (id, fields) => {
      const c = must(customers, id);
      const previous = Object.fromEntries(Object.keys(fields).map((k) => [k, c[k] ?? null]));
      Object.assign(c, fields);
      emit('customer.updated', c, previous);
    },
    deleteCustomer: (id) => {
      const c = must(customers, id);
      c.deleted = true;
      const { deleted: _, ...was } = c;
      emit('customer.deleted', was as Obj);
    },
    setSubscriptionStatus: (id, status) => {
      const s = must(subscriptions, id);
      const previous = { status: s.status };
      s.status = status;
      if (status === 'canceled') {
        s.canceled_at = now();
        s.ended_at = now();
        emit('customer.subscription.deleted', s);
      } else emit('customer.subscription.updated', s, previous);
    },
    payInvoice: (id) => {
      const i = must(invoices, id);
      i.status = 'paid';
      i.amount_paid = i.amount_due;
      i.amount_remaining = 0;
      (i.status_transitions as Record<string, unknown>).paid_at = now();
      emit('invoice.paid', i);
    },
    failInvoicePayment: (id) => {
      const i = must(invoices, id);
      i.attempt_count = ((i.attempt_count as number | undefined) ?? 0) + 1;
      emit('invoice.payment_failed', i);
    },
    deleteInvoice: (id) => {
      const i = must(invoices, id);
      if (i.status !== 'draft') throw new Error('Stripe deletes draft invoices only');
      i.deleted = true;
      const { deleted: _, ...was } = i;
      emit('invoice.deleted', was as Obj);
    },
    events: () => events.map((e) => e.obj),
    calls: () => calls,
    portalSessions: () => sessions,
    deauthorized: () => deauthorized,
    registerWebhook: (url, secret, o = {}) => {
      hook = {
        url,
        secret: secret ?? sensitive(`whsec_${randomBytes(24).toString('hex')}`),
        connect: o.connect ?? false,
      };
      return hook.secret;
    },
    failNext: (kind, retryAfterSeconds) => {
      failures.push({ kind, wait: retryAfterSeconds });
    },
  };
};
