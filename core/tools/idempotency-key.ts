/**
 * `Idempotency-Key`: what Stripe accepts, printable ASCII up to 255 characters. On its own: the
 * tool handlers and the proxy check it before anything else, and the proxy runs no tool.
 */
export const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;
