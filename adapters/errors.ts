/**
 * How an adapter reports a provider's answer that isn't data. core/ maps these to the
 * API's codes: `rejected` → 422 (the provider's reason shown), `unreachable` → 502,
 * `rate_limited` → 429 with Retry-After.
 */
export type ProviderErrorKind = 'rejected' | 'unreachable' | 'rate_limited';

export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  /** The provider's own words (its error body), safe to show: never a credential. */
  readonly providerMessage: string;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  /**
   * The OAuth error code where there is one (RFC 6749 §5.2): `invalid_grant` tells core
   * a refresh token is gone for good (the connection becomes `expired`).
   */
  readonly code: string | undefined;
  /**
   * The credential field the provider refused, when the adapter can tell (Datadog checks the
   * API key alone first): core points the error at it (`body.credentials.<field>`).
   */
  readonly field: string | undefined;

  constructor(
    kind: ProviderErrorKind,
    providerMessage: string,
    options: { status?: number; retryAfterSeconds?: number; code?: string; field?: string } = {},
  ) {
    super(`${kind}: ${providerMessage}`);
    this.name = 'ProviderError';
    this.kind = kind;
    this.providerMessage = providerMessage.slice(0, 500);
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.code = options.code;
    this.field = options.field;
  }
}

export const isProviderError = (e: unknown): e is ProviderError => e instanceof ProviderError;
