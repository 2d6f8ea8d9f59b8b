import { Logger } from '@aws-lambda-powertools/logger';

// Keys whose values never reach a log line, at any depth. Matching is on the key name
// because a secret's value can't be recognised — but its field always has a name.
const REDACT =
  /authorization|cookie|secret|token|password|passwd|api[-_]?key|app[-_]?key|private[-_]?key|client[-_]?secret|signature|credentials?$/i;

export const redactReplacer = (key: string, value: unknown): unknown =>
  key && REDACT.test(key) && value !== null && value !== undefined && typeof value !== 'object'
    ? '[REDACTED]'
    : value;

/**
 * The one logger of a Lambda: a module singleton, JSON, secrets redacted. It lives in
 * core/ because core work that must not fail its caller (outbound events) logs and goes
 * on; functions/middleware/logger.ts re-exports it for the handlers.
 */
export const logger = new Logger({
  serviceName: 'integrations',
  jsonReplacerFn: redactReplacer,
});
