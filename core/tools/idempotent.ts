import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { ApiError } from '../platform/errors';
import { toolIdempotencyStore } from '../store/tool-idempotency-repo';

/**
 * A write with an Idempotency-Key runs at most once per (tenant, key) for 24 h: Powertools
 * idempotency over the dedupe table. A failed attempt (anything `run` throws) is forgotten, so
 * the same key may retry it; a second request while the first runs is 409; the same key with
 * another request is 409.
 *
 * A module of its own, imported on demand by core/tools/execute.ts and core/tools/proxy.ts
 * only when a write carries an Idempotency-Key: Powertools idempotency and its JMESPath
 * engine are ≈ 40 KB minified, which every invocation of the handlers that run tools would
 * otherwise load at cold start (`npm run bench -- handlers`).
 */

/** The Lambda context, as Powertools wants it for its in-progress expiry; core names no Lambda type. */
export type InvocationContext = Parameters<IdempotencyConfig['registerLambdaContext']>[0];

/** What identifies a run (`tenant_id`, `idempotency_key`) and what must match on a replay (`request`). */
export type Execution = { tenant_id: string; idempotency_key: string; request: Record<string, unknown> };

/**
 * `tools`: every function that runs tools (/v1/tools/execute, MCP) — a key sent to either is
 * the same key; `proxy`: the proxy's writes, in the same table under their own prefix.
 */
type Prefix = 'tools' | 'proxy';

const config = new IdempotencyConfig({
  eventKeyJmesPath: '[tenant_id, idempotency_key]',
  payloadValidationJmesPath: 'request',
  expiresAfterSeconds: 24 * 3600,
});

type Once = (x: Execution, run: () => Promise<unknown>) => Promise<unknown>;
const wrapped = new Map<Prefix, Once>();
const onceFor = (prefix: Prefix): Once => {
  let once = wrapped.get(prefix);
  if (!once) {
    // The key and the payload check read argument 0 only; `run` rides along as argument 1.
    once = makeIdempotent(async (_x: Execution, run: () => Promise<unknown>) => run(), {
      persistenceStore: toolIdempotencyStore(),
      config,
      keyPrefix: prefix,
      dataIndexArgument: 0,
    });
    wrapped.set(prefix, once);
  }
  return once;
};

/**
 * `run`'s result, stored under the key — or the stored result of the run that came first with
 * this key and the same request (JSON, as it was stored).
 */
export const runOnce = async <T>(
  prefix: Prefix,
  x: Execution,
  run: () => Promise<T>,
  context?: InvocationContext,
): Promise<T> => {
  if (context) config.registerLambdaContext(context);
  try {
    return (await onceFor(prefix)(x, run)) as T;
  } catch (e) {
    if (e instanceof IdempotencyAlreadyInProgressError) {
      throw new ApiError('conflict', 'A request with this Idempotency-Key is still running.', {
        remediation: 'Retry in a moment: you will get its result.',
      });
    }
    if (e instanceof IdempotencyValidationError) {
      throw new ApiError('conflict', 'This Idempotency-Key was used with a different request.', {
        remediation: 'Use a new Idempotency-Key for a new request.',
      });
    }
    throw e;
  }
};
