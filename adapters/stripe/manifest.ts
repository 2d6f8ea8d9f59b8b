import * as z from 'zod/mini';
import { defineAction, defineManifest, defineSync } from '../types';
import { config } from './config';

/** Stripe object ids: a type prefix and an underscore (`cus_…`, `sub_…`, `bpc_…`). https://docs.stripe.com/api */
const stripeId = (prefix: string, what: string) =>
  z.string().check(z.regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,250}$`)), z.describe(what));

/** Stripe lists take 1 to 100 objects a page. https://docs.stripe.com/api/pagination */
const limit = z.int().check(z.minimum(1), z.maximum(100));

export const listCustomersInput = z.object({
  email: z.optional(
    z
      .string()
      .check(
        z.minLength(3),
        z.maxLength(512),
        z.describe('Only customers with this email (exact, case-sensitive)'),
      ),
  ),
  limit: z.optional(limit.check(z.describe('Customers a page, 1 to 100 (default 10)'))),
  starting_after: z.optional(stripeId('cus', 'The next_cursor a previous call answered')),
});

export const getSubscriptionInput = z.object({
  id: stripeId('sub', "The subscription's id (sub_…)"),
});

export const createPortalSessionInput = z.object({
  customer: stripeId('cus', 'The customer the portal is for (cus_…)'),
  return_url: z.optional(
    z
      .url({ protocol: /^https?$/ })
      .check(z.maxLength(5000), z.describe('Where the portal sends the customer back')),
  ),
  configuration: z.optional(
    stripeId('bpc', 'A portal configuration (bpc_…); default: the account’s default'),
  ),
  locale: z.optional(
    z
      .string()
      .check(
        z.regex(/^(auto|[a-z]{2}(-[A-Z]{2,3})?)$/),
        z.describe('Portal language, e.g. "auto", "fr", "pt-BR"'),
      ),
  ),
});

export const manifest = defineManifest({
  name: 'stripe',
  displayName: 'Stripe',
  categories: ['billing'],
  curated: false,
  docsUrl: 'https://docs.stripe.com/api',
  apiBaseUrl: 'https://api.stripe.com',
  hosts: ['stripe.com', '*.stripe.com'],
  auth: {
    // Stripe Connect (Standard accounts): the connected account authorizes the platform; the
    // integration's OAuth client is the platform's `ca_…` client id and its secret API key.
    oauth2: {
      authorizationUrl: 'https://connect.stripe.com/oauth/authorize',
      tokenUrl: 'https://connect.stripe.com/oauth/token',
      defaultScopes: ['read_write'],
      // https://docs.stripe.com/connect/oauth-reference#get-authorize-request
      scopeDescriptions: {
        read_only: "Read your Stripe account's customers, subscriptions and invoices",
        read_write:
          'Read and change your Stripe account, and open billing portal sessions for your customers',
      },
      scopeSeparator: ' ',
      pkce: false,
      noPkceReason:
        'Stripe Connect OAuth takes no code_challenge: the token request is authenticated with the platform’s secret API key, and the authorize request documents only response_type, client_id, scope, redirect_uri, state and stripe_user[…]. https://docs.stripe.com/connect/oauth-reference',
      // Connect access tokens do not expire; the refresh grant only rolls them.
      refreshes: false,
      docsUrl: 'https://docs.stripe.com/connect/oauth-reference',
    },
    api_key: {
      fields: [
        {
          name: 'api_key',
          label: 'Restricted API key (rk_…) or secret key (sk_…)',
          secret: true,
          help: 'In the Stripe Dashboard: Developers → API keys → Create restricted key, with read access to Customers, Subscriptions, Invoices and Events (and write to Customer portal for portal sessions).',
        },
      ],
      docsUrl: 'https://docs.stripe.com/keys#create-restricted-api-secret-key',
    },
  },
  // Both an API key and a Connect access token go as Bearer. https://docs.stripe.com/api/authentication
  proxy: {
    headers: {
      api_key: { authorization: 'Bearer {api_key}' },
      oauth2: { authorization: 'Bearer {access_token}' },
    },
  },
  config,
  syncs: [
    defineSync({
      name: 'customers',
      model: 'customer',
      description: 'Customers (deleted ones leave the feed).',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'subscriptions',
      model: 'subscription',
      description: 'Subscriptions in every status, cancelled included.',
      defaultFrequency: '1h',
      incremental: true,
    }),
    defineSync({
      name: 'invoices',
      model: 'invoice',
      description: 'Invoices in every status (deleted drafts leave the feed).',
      defaultFrequency: '1h',
      incremental: true,
    }),
  ],
  actions: [
    defineAction({
      name: 'list_customers',
      description: 'List customers, newest first, optionally those with one email.',
      writes: false,
      input: listCustomersInput,
    }),
    defineAction({
      name: 'get_subscription',
      description: 'Read one subscription: status, items and prices, current period.',
      writes: false,
      input: getSubscriptionInput,
    }),
    defineAction({
      name: 'create_customer_portal_session',
      description:
        'Open a billing portal session for a customer: a short-lived URL where they manage their subscriptions, payment methods and invoices.',
      writes: true,
      input: createPortalSessionInput,
    }),
  ],
  webhooks: {
    events: [
      'customer.created',
      'customer.updated',
      'customer.deleted',
      'customer.subscription.created',
      'customer.subscription.updated',
      'customer.subscription.deleted',
      'customer.subscription.paused',
      'customer.subscription.resumed',
      'invoice.created',
      'invoice.updated',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_failed',
      'invoice.voided',
      'invoice.marked_uncollectible',
      'invoice.deleted',
      'account.application.deauthorized',
    ],
    signature: { scheme: 'stripe', header: 'stripe-signature' },
    docsUrl: 'https://docs.stripe.com/webhooks#verify-events',
  },
});
