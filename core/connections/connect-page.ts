import { type JsonSchema, loadDescription, type ProviderDescription } from '../../adapters/descriptions';
import type { CredentialField } from '../../adapters/types';
import { SESSION_ID } from '../platform/ids';
import { type ConnectSessionItem, getSession } from '../store/oauth-state-repo';
import {
  backTo,
  type CallbackError,
  connectPageUrl,
  isCredentialMode,
  sessionExpired,
  startUrl,
} from './sessions';

/**
 * What the hosted connect page (GET /connect/{session_id}) shows of a session, and its result
 * page (…/done); the credentials its form submits are connect-submit.ts. Everything here is authorised by the session id alone — a ten-minute, 80-bit random
 * capability the tenant hands to its end user — so nothing here names the tenant, and a
 * session that is unknown, over or used says only that.
 */

export type PageField = {
  /** `credentials.<name>` or `config.<name>` in the form; the name in the JSON body. */
  name: string;
  group: 'credentials' | 'config';
  label: string;
  help?: string;
  secret: boolean;
  optional: boolean;
  /** Choices, when the field is one of a list (Datadog's site). */
  options?: string[];
  /** A URL (GitLab's host): the browser checks its shape. */
  url?: boolean;
  /** A regular expression the value must match (as HTML `pattern`). */
  pattern?: string;
};

export type ScopeLine = { scope: string; description: string | null };

type Provider = { name: string; display_name: string };

export type ConnectPageView =
  | { state: 'unknown' }
  | { state: 'expired' }
  | { state: 'used' }
  | {
      state: 'ready';
      session_id: string;
      provider: Provider;
      mode: ConnectSessionItem['mode'];
      /** Where the Connect button goes: the session's auth_url (GET /v1/connect/start). */
      start_url: string;
      scopes: ScopeLine[];
      fields: PageField[];
      docs_url: string | null;
      redirect_url: string;
      expires_at: string;
    };

export type ConnectResultView =
  | { state: 'unknown' }
  | { state: 'expired' }
  | {
      state: 'success';
      provider: Provider;
      connection_id: string;
      account_name: string;
      redirect_url: string;
      /** redirect_url with `status=success&connection_id=…`. */
      forward_url: string;
    }
  | {
      state: 'error';
      provider: Provider;
      error: CallbackError;
      redirect_url: string;
      /** redirect_url with `status=error&error=…`. */
      forward_url: string;
      /** The page again, while the session may still connect. */
      retry_url: string | null;
    }
  | { state: 'pending'; provider: Provider; retry_url: string };

const callbackErrors: readonly CallbackError[] = [
  'access_denied',
  'invalid_state',
  'state_expired',
  'token_exchange_failed',
  'installation_not_yours',
  'session_mismatch',
];
export const isCallbackError = (v: unknown): v is CallbackError =>
  typeof v === 'string' && (callbackErrors as readonly string[]).includes(v);

const providerOf = async (
  s: ConnectSessionItem,
): Promise<{ provider: Provider; manifest: ProviderDescription }> => {
  // Its description (adapters/descriptions.ts): plain JSON, no zod schemas built to show a page.
  const manifest = await loadDescription(s.provider);
  if (!manifest) throw new Error(`unknown provider ${s.provider}`);
  return { provider: { name: manifest.name, display_name: manifest.displayName }, manifest };
};

/** A session by an id from a URL: anything that is not one of ours is simply unknown. */
const sessionById = async (sessionId: string): Promise<ConnectSessionItem | undefined> =>
  SESSION_ID.test(sessionId) ? getSession(sessionId) : undefined;

const humanize = (key: string) =>
  key
    .split('_')
    .map((w, i) => (w === 'id' ? 'ID' : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');

/**
 * The config fields a person can type: the scalar ones of the manifest's config schema (a
 * site, a host, an organization), as generated at build time (adapters/descriptions.ts). Lists
 * that narrow a sync are set later with PATCH.
 */
type JsonProperty = {
  type?: string;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  description?: string;
};
const configFields = (config: JsonSchema): PageField[] => {
  const schema = config as { properties?: Record<string, JsonProperty>; required?: string[] };
  return Object.entries(schema.properties ?? {})
    .filter(([, p]) => p.type === 'string')
    .map(([name, p]) => ({
      name,
      group: 'config' as const,
      label: humanize(name),
      ...(p.description ? { help: p.description } : {}),
      secret: false,
      optional: !schema.required?.includes(name),
      ...(p.enum ? { options: p.enum.map(String) } : {}),
      ...(p.format === 'uri' ? { url: true } : {}),
      ...(p.pattern ? { pattern: p.pattern } : {}),
    }));
};

const credentialFields = (fields: CredentialField[]): PageField[] =>
  fields.map((f) => ({
    name: f.name,
    group: 'credentials' as const,
    label: f.label,
    ...(f.help ? { help: f.help } : {}),
    secret: f.secret,
    optional: f.optional ?? false,
  }));

/** GET /connect/{session_id}: what the page shows, or why it shows nothing. */
export const connectPage = async (sessionId: string): Promise<ConnectPageView> => {
  const s = await sessionById(sessionId);
  if (!s) return { state: 'unknown' };
  if (s.completed_at) return { state: 'used' };
  if (sessionExpired(s)) return { state: 'expired' };
  const { provider, manifest: m } = await providerOf(s);
  const described = m.auth.oauth2?.scopeDescriptions ?? {};
  const typed = isCredentialMode(s.mode) ? m.auth[s.mode] : undefined;
  const config = typed ? m.configSchema : undefined;
  return {
    state: 'ready',
    session_id: s.session_id,
    provider,
    mode: s.mode,
    start_url: startUrl(s.session_id),
    scopes: s.scopes.map((scope) => ({ scope, description: described[scope] ?? null })),
    fields: typed && config ? [...credentialFields(typed.fields), ...configFields(config)] : [],
    docs_url: typed?.docsUrl ?? null,
    redirect_url: s.redirect_url,
    expires_at: s.valid_until,
  };
};

/**
 * GET /connect/{session_id}/done: the outcome of the session. A success is read from the
 * session (completed, with its connection), never from the URL; an error code in the URL
 * (the callback's, from a fixed list) is shown only while the session has not connected.
 */
export const connectResult = async (sessionId: string, error: unknown): Promise<ConnectResultView> => {
  const s = await sessionById(sessionId);
  if (!s) return { state: 'unknown' };
  const { provider } = await providerOf(s);
  if (s.completed_at && s.connection_id) {
    return {
      state: 'success',
      provider,
      connection_id: s.connection_id,
      account_name: s.account_name ?? '',
      redirect_url: s.redirect_url,
      forward_url: backTo(s.redirect_url, { status: 'success', connection_id: s.connection_id }),
    };
  }
  const open = !s.completed_at && !sessionExpired(s);
  if (isCallbackError(error)) {
    return {
      state: 'error',
      provider,
      error,
      redirect_url: s.redirect_url,
      forward_url: backTo(s.redirect_url, { status: 'error', error }),
      retry_url: open ? connectPageUrl(s.session_id) : null,
    };
  }
  if (!open) return { state: 'expired' };
  return { state: 'pending', provider, retry_url: connectPageUrl(s.session_id) };
};
