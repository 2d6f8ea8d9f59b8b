import * as z from 'zod/mini';
import { described, jsonObject, named, page, timestamp } from '../contract';
import { sync, syncRun } from './syncs';

const connectionFields = {
  id: described(z.string(), '`conn_…`'),
  integration: described(z.string(), "The integration's unique_key."),
  provider: z.string(),
  name: z.string(),
  status: described(
    z.enum(['pending_auth', 'active', 'expired', 'error', 'disconnected']),
    '`expired`: a refresh failed for good; `error`: the provider refuses credentials a refresh cannot renew; `disconnected`: the grant is gone at the provider.',
  ),
  sync_status: described(
    z.enum(['healthy', 'degraded', 'failed']),
    '`degraded`: a last run partly failed or a sync is late; `failed`: the last runs failed.',
  ),
  end_user_id: z.string(),
  workspace_id: z.nullable(z.string()),
  provider_account: described(
    z.strictObject({ id: z.string(), name: z.string() }),
    'Whose account it is, as the provider says.',
  ),
  credentials: described(
    z.strictObject({
      type: described(
        z.enum(['oauth2', 'api_key', 'basic', 'app_install', 'none']),
        '`none`: a CSV import connection, which holds no credentials.',
      ),
      scopes: z.nullable(z.array(z.string())),
      expires_at: z.nullable(timestamp()),
    }),
    'What kind of credentials it holds; never the credentials themselves.',
  ),
  metadata: described(jsonObject(), 'Yours: PATCH merges it key by key.'),
  config: described(jsonObject(), "Provider-specific, validated by the provider's manifest."),
  last_synced_at: z.nullable(timestamp()),
  created_at: timestamp(),
  updated_at: timestamp(),
};

export const connection = named(
  'Connection',
  z.strictObject(connectionFields),
  "A customer's account at a provider. Never any token, key or password.",
);

export const connectionDetail = named(
  'ConnectionDetail',
  z.strictObject({
    ...connectionFields,
    syncs: z.array(sync),
    sync_runs: described(z.array(syncRun), 'The last 10 runs, newest first.'),
  }),
);

export const connectionList = named('ConnectionList', page('connections', connection));

export const connectionDeleted = named(
  'ConnectionDeleted',
  z.strictObject({
    id: z.string(),
    deleted: z.literal(true),
    revoked: described(
      z.boolean(),
      'Whether the grant was revoked at the provider first (GitHub, Google, GitLab, Linear, Slack); a provider that is down or refuses never blocks the delete.',
    ),
    revoke_error: z.optional(described(z.string(), 'Why it was not revoked.')),
    records_purged: described(z.int(), 'Records deleted with it (`?purge_records=true`), else 0.'),
  }),
);

export const token = named(
  'ConnectionToken',
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('bearer'),
      access_token: z.string(),
      expires_at: z.nullable(timestamp()),
    }),
    z.strictObject({ type: z.literal('api_key'), api_key: z.string(), app_key: z.optional(z.string()) }),
    z.strictObject({ type: z.literal('basic'), username: z.string(), password: z.string() }),
  ]),
  "Usable credentials for your backend's own calls to the provider.",
);

export const connectSession = named(
  'ConnectSession',
  z.strictObject({
    id: described(z.string(), '`cs_…`'),
    auth_url: described(
      z.string(),
      "Send the end user here (GET /v1/connect/start): straight to the provider for OAuth and app installs, to the connect page's form for API-key and basic providers.",
    ),
    connect_url: described(
      z.string(),
      'The hosted connect page for this session (GET /connect/{session_id}): a Connect button, or the credentials form. Open it as a popup with /connect.js.',
    ),
    auth_mode: described(
      z.enum(['oauth2', 'app_install', 'api_key', 'basic']),
      "How the end user connects: the one asked for, or the provider's default.",
    ),
    expires_at: timestamp(),
  }),
  'Ten minutes to connect an account.',
);

export const endUserToken = named(
  'EndUserToken',
  z.strictObject({
    token: described(z.string(), '`eut_…`, for your frontend.'),
    end_user_id: z.string(),
    workspace_ids: described(
      z.nullable(z.array(z.string())),
      'The workspaces it is bound to; null: not bound.',
    ),
    expires_at: timestamp(),
  }),
);
