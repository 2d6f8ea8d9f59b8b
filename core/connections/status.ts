import { logger } from '../platform/log';
import {
  type ConnectionItem,
  type ConnectionStatus,
  type SyncStatus,
  updateConnection,
} from '../store/connections-repo';

/**
 * A connection's status, written by the flow that learns it (API.md "Connections"):
 * - `expired`: a refresh the provider refused for good (core/connections/tokens.ts);
 * - `error`: the provider refused credentials a refresh cannot renew — an API key, a
 *   password, a token without a refresh token, or one refused again right after renewal —
 *   as a sync run, a tool call or the proxy saw it;
 * - `disconnected`: the provider said the grant is gone (an app uninstalled, tokens revoked:
 *   its webhook, or a refresh answered with a revocation);
 * - `pending_auth`: a connect session is re-authorising a connection that was not active;
 * - `active` again: that session stored new credentials (`connection.recovered`).
 * Each change is one conditional update from the status read, so concurrent flows that learn
 * the same thing change it, and emit `connection.status_changed`, once.
 */
export type StatusChange = {
  from: ConnectionStatus;
  to: ConnectionStatus;
  reason?: string;
  /** Other fields written with the status (new credentials on a recovery). */
  fields?: Parameters<typeof updateConnection>[2];
};

/** Only a connection's identity goes in a status event: never its credentials. */
const identity = (c: Pick<ConnectionItem, 'connection_id' | 'integration' | 'provider' | 'end_user_id'>) => ({
  connection_id: c.connection_id,
  integration: c.integration,
  provider: c.provider,
  end_user_id: c.end_user_id,
});

/** The events of a transition that happened (its update won). */
export const announceStatus = async (
  c: Pick<ConnectionItem, 'tenant_id' | 'connection_id' | 'integration' | 'provider' | 'end_user_id'>,
  from: ConnectionStatus,
  to: ConnectionStatus,
  reason?: string,
): Promise<void> => {
  logger.info('connection status', { provider: c.provider, old_status: from, new_status: to });
  const data = {
    ...identity(c),
    old_status: from,
    new_status: to,
    ...(reason ? { reason: reason.slice(0, 500) } : {}),
  };
  // The emitter (and the subscriptions' store it reads) loads only when a status changes,
  // not at cold start: most invocations of the handlers that may change one (a token, a
  // tool call, the proxy) change none.
  const { emitEvent } = await import('../outbound/emit');
  await emitEvent(c.tenant_id, 'connection.status_changed', data);
  // Recovered: a renewed grant brought a connection back from expired, error or disconnected
  // (through pending_auth while the user was re-authorising).
  if (to === 'active') await emitEvent(c.tenant_id, 'connection.recovered', data);
};

/**
 * Moves the connection from `change.from` to `change.to`, if it still is `from`. Returns the
 * connection as updated, or undefined when another flow changed it first (or it is gone).
 */
export const transition = async (
  c: ConnectionItem,
  change: StatusChange,
): Promise<ConnectionItem | undefined> => {
  if (change.from === change.to) return undefined;
  const updated = await updateConnection(
    c.tenant_id,
    c.connection_id,
    { ...change.fields, status: change.to, updated_at: new Date().toISOString() },
    { status: change.from },
  );
  if (updated) await announceStatus(c, change.from, change.to, change.reason);
  return updated;
};

/** `connection.sync_status_changed`, after a conditional update of sync_status won. */
export const announceSyncStatus = async (
  c: Pick<ConnectionItem, 'tenant_id' | 'connection_id' | 'integration' | 'provider' | 'end_user_id'>,
  from: SyncStatus,
  to: SyncStatus,
) => {
  const { emitEvent } = await import('../outbound/emit');
  return emitEvent(c.tenant_id, 'connection.sync_status_changed', {
    ...identity(c),
    old_sync_status: from,
    new_sync_status: to,
  });
};

/**
 * A connect session re-authorising a connection that is not active: `pending_auth` while it
 * is open, with the status to go back to and when the session ends stored beside it. Another
 * session for the same connection takes over the wait and keeps the status to go back to.
 */
export const markPending = async (c: ConnectionItem, sessionId: string, until: string): Promise<void> => {
  if (c.status === 'active') return;
  const previous = c.status === 'pending_auth' ? c.pending_auth?.previous_status : c.status;
  if (!previous || previous === 'pending_auth' || previous === 'active') return;
  const pending = { session_id: sessionId, previous_status: previous, until };
  if (c.status === 'pending_auth') {
    await updateConnection(
      c.tenant_id,
      c.connection_id,
      { pending_auth: pending },
      { status: 'pending_auth' },
    );
    return;
  }
  await transition(c, {
    from: c.status,
    to: 'pending_auth',
    reason: 'A connect session is re-authorising the connection.',
    fields: { pending_auth: pending },
  });
};

/** The status a pending connection goes back to once its session is over; undefined: still open. */
export const pendingOver = (
  c: Pick<ConnectionItem, 'status' | 'pending_auth'>,
  now = Date.now(),
): ConnectionStatus | undefined =>
  c.status === 'pending_auth' && c.pending_auth && Date.parse(c.pending_auth.until) <= now
    ? c.pending_auth.previous_status
    : undefined;

/**
 * Puts back the status a re-authorisation interrupted: its session failed (`sessionId`: only if
 * that session is still the one waiting), or ended — read lazily, see `pendingOver`.
 */
export const restorePending = async (
  c: ConnectionItem,
  reason: string,
  sessionId?: string,
): Promise<ConnectionItem> => {
  const p = c.pending_auth;
  if (c.status !== 'pending_auth' || !p) return c;
  if (sessionId !== undefined && p.session_id !== sessionId) return c;
  const back = await transition(c, {
    from: 'pending_auth',
    to: p.previous_status,
    reason,
    fields: { pending_auth: null },
  });
  return back ?? { ...c, status: p.previous_status };
};
