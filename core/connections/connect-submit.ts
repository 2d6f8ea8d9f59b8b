import * as z from 'zod/mini';
import { ApiError } from '../platform/errors';
import { SESSION_ID } from '../platform/ids';
import { completeSession, countAttempt, getSession } from '../store/oauth-state-repo';
import { createBody, createConnection, credentialsSchema } from './create';
import { type CredentialMode, isCredentialMode, sessionExpired } from './sessions';

/**
 * Credentials typed on the hosted connect page (POST /v1/connect/sessions/{id}/credentials,
 * and the page's own form, POST /connect/{session_id}): apart from connect-page.ts, which
 * only describes a session, because submitting creates the connection — the provider's code,
 * the credential sealing — which the page and its result page never run.
 */

/** Submissions of credentials a session allows: each one is a call to the provider. */
export const MAX_CREDENTIAL_ATTEMPTS = 10;

const fieldValue = z.string().check(z.maxLength(8192));
export const submitCredentialsBody = z.strictObject({
  credentials: z.record(z.string().check(z.minLength(1), z.maxLength(100)), fieldValue),
  // As POST /v1/connections takes it: at most 50 keys and 8 KB.
  config: createBody.shape.config,
});
export const submitCredentialsPath = z.object({
  id: z.string().check(z.regex(SESSION_ID, 'Expected a connect session id (cs_…).')),
});

const sessionGone = (state: 'unknown' | 'expired' | 'used' | 'exhausted'): ApiError => {
  const remediation = 'Ask the app you came from to start connecting again (POST /v1/connect/sessions).';
  if (state === 'unknown') return new ApiError('not_found', 'No such connect session.', { remediation });
  if (state === 'expired') {
    return new ApiError('state_expired', 'This connect session has expired (sessions last ten minutes).', {
      remediation,
    });
  }
  if (state === 'used') {
    return new ApiError('invalid_state', 'This connect session has already connected an account.', {
      remediation,
    });
  }
  return new ApiError(
    'invalid_state',
    `This connect session has had ${MAX_CREDENTIAL_ATTEMPTS} attempts, the most it allows.`,
    { remediation },
  );
};

/**
 * POST /v1/connect/sessions/{id}/credentials: credentials typed on the connect page, for the
 * session's integration and end user. The same path as POST /v1/connections — config checked
 * against the manifest, the credentials verified at the provider before anything is stored —
 * and then the session is spent. A refusal leaves it open for another try (up to
 * MAX_CREDENTIAL_ATTEMPTS, each counted before the provider is called).
 */
export const submitCredentials = async (
  sessionId: string,
  body: z.infer<typeof submitCredentialsBody>,
): Promise<Awaited<ReturnType<typeof createConnection>>> => {
  const s = await getSession(sessionId);
  if (!s) throw sessionGone('unknown');
  if (s.completed_at) throw sessionGone('used');
  if (sessionExpired(s)) throw sessionGone('expired');
  if (!isCredentialMode(s.mode)) {
    throw new ApiError(
      'validation_failed',
      'This session connects through the provider, not with credentials.',
      {
        details: { issues: [{ path: 'path.id', message: `The session's auth mode is ${s.mode}.` }] },
        remediation: "Send the user to the session's auth_url (or connect_url) instead.",
      },
    );
  }
  const mode: CredentialMode = s.mode;
  const { type, ...fields } = body.credentials;
  if (type !== undefined && type !== mode) {
    throw new ApiError('validation_failed', `This session takes ${mode} credentials.`, {
      details: { issues: [{ path: 'body.credentials.type', message: `Expected '${mode}'.` }] },
    });
  }
  const parsed = credentialsSchema.safeParse({ type: mode, ...fields });
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((i) =>
      i.code === 'unrecognized_keys'
        ? i.keys.map((k) => ({ path: `body.credentials.${k}`, message: 'Not a field of this provider.' }))
        : [{ path: ['body', 'credentials', ...i.path.map(String)].join('.'), message: i.message }],
    );
    throw new ApiError('validation_failed', 'The credentials do not fit the provider.', {
      details: { issues },
    });
  }
  const counted = await countAttempt(sessionId, MAX_CREDENTIAL_ATTEMPTS);
  if (counted === 'gone') throw sessionGone('unknown');
  if (counted === 'completed') throw sessionGone('used');
  if (counted === 'exhausted') throw sessionGone('exhausted');

  const result = await createConnection(s.tenant_id, {
    integration: s.integration,
    end_user_id: s.end_user_id,
    ...(s.workspace_id ? { workspace_id: s.workspace_id } : {}),
    credentials: parsed.data,
    ...(body.config ? { config: body.config } : {}),
  });
  await completeSession(sessionId, new Date().toISOString(), {
    connection_id: result.connection.id,
    account_name: result.connection.provider_account.name,
  });
  return result;
};
