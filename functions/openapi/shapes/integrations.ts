import * as z from 'zod/mini';
import { described, named, page, timestamp } from '../contract';

const endpoints = z.strictObject({
  api_base_url: z.optional(z.string()),
  authorization_url: z.optional(z.string()),
  token_url: z.optional(z.string()),
});

export const integration = named(
  'Integration',
  z.strictObject({
    unique_key: described(z.string(), 'Your key for it, unique in your tenant (`github-prod`).'),
    provider: z.string(),
    display_name: z.string(),
    oauth_client_id: z.nullable(z.string()),
    scopes: described(
      z.nullable(z.array(z.string())),
      "Asked for at connect; null: the provider's defaults.",
    ),
    app: z.nullable(
      z.strictObject({ app_id: z.string(), slug: z.nullable(z.string()), has_private_key: z.boolean() }),
    ),
    endpoints: described(
      z.nullable(endpoints),
      "Overrides of the provider's URLs (self-hosted and enterprise instances).",
    ),
    has_oauth_client_secret: z.boolean(),
    has_webhook_secret: z.boolean(),
    has_app_private_key: z.boolean(),
    webhook_url: described(z.string(), "Paste into the provider's webhook settings."),
    callback_url: described(z.string(), 'Register as the redirect / callback URL of your OAuth app.'),
    connection_count: z.int(),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
  "A tenant's configuration of a provider. Secrets are never returned: `has_…` says they are set.",
);

export const integrationList = named('IntegrationList', page('integrations', integration));

export const integrationDeleted = named(
  'IntegrationDeleted',
  z.strictObject({ unique_key: z.string(), deleted: z.literal(true) }),
);
