// Keys whose values never reach a log line, at any depth. Matching is on the key name
// because a secret's value can't be recognised — but its field always has a name.
const NAMES =
  'authorization|cookie|secret|token|password|passwd|api[-_]?key|app[-_]?key|private[-_]?key|client[-_]?secret|signature';
const REDACT = new RegExp(`${NAMES}|credentials?$`, 'i');

export const redactReplacer = (key: string, value: unknown): unknown =>
  key && REDACT.test(key) && value !== null && value !== undefined && typeof value !== 'object'
    ? '[REDACTED]'
    : value;

// The same secrets written into a string instead of a field: a driver's or SDK's error
// message (`password=…`, `{"access_token":"…"}`), a URL in a message or a stack
// (`?client_secret=…`, `https://user:pass@host`), a header echoed back (`Bearer …`). A name
// counts only where it ends the key (`refresh_token:`, not `token_exchange_failed:`), so the
// match starts at the name, whatever precedes it; the value runs to the next space, quote or
// separator.
const INLINE_NAMED = new RegExp(`((?:${NAMES}|credentials?)["']?\\s*[:=]\\s*["']?)[^\\s"'&,;)]+`, 'gi');
const INLINE_SCHEME = /\b(Bearer|Basic)\s+[\w~+/.=-]{6,}/gi;
const URL_USERINFO = /(\/\/)[^\s/?#@]+@/g;

// Any of the three, tested once: most strings of a line (ids, routes, timestamps) have none.
// A request's log line took 18.8 µs with the three replaces on every string, 5.4 µs with this
// test first (5.1 µs before any scrubbing).
const ANY_INLINE = new RegExp(`${INLINE_NAMED.source}|${INLINE_SCHEME.source}|${URL_USERINFO.source}`, 'i');

/** A string with the secrets written into it replaced, as redactReplacer does fields. */
export const scrubSecrets = (s: string): string =>
  ANY_INLINE.test(s)
    ? s
        .replace(INLINE_SCHEME, '$1 [REDACTED]')
        .replace(INLINE_NAMED, '$1[REDACTED]')
        .replace(URL_USERINFO, '$1[REDACTED]@')
    : s;

/*
 * The house logger, in place of Powertools Logger: the same JSON line (the fields below,
 * in Powertools' order and names, so CloudWatch queries and dashboards keep working), the
 * same level variables, for the part of Powertools this service uses. Why not the library:
 * Powertools Logger with its commons was 16.3 KB minified in every handler's bundle (the
 * largest input beyond the floor of most API handlers, `npm run bench -- handlers`: 18.6 KB
 * off each, 1.18× → 1.13× for health), for sampling, log buffering, child loggers and
 * Managed Instances scoping we don't use; this file is 2.7 KB minified. Powertools Metrics,
 * Batch and Idempotency stay where they are used.
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
type Attributes = Record<string, unknown>;

const THRESHOLD: Record<LogLevel | 'TRACE' | 'CRITICAL' | 'SILENT', number> = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};
// Base fields a call's attributes may not overwrite (Powertools drops them too).
const RESERVED = new Set(['level', 'message', 'sampling_rate', 'service', 'timestamp']);

const thresholdOf = (name: string | undefined): number | undefined =>
  name ? THRESHOLD[name.toUpperCase() as LogLevel] : undefined;

/** An Error as Powertools writes it: name, file:line it was thrown at, message, stack, cause, own fields. */
const errorFields = (e: Error): Attributes => {
  const { name, message, stack, cause, ...own } = e as Error & Attributes;
  const at = stack
    ?.split('\n')
    .map((l) => /\(([^()]*?):(\d+?):(\d+?)\)\\?$/.exec(l))
    .find(Boolean);
  return {
    name,
    location: at ? `${at[1]}:${Number(at[2])}` : '',
    message,
    stack,
    cause: cause instanceof Error ? errorFields(cause) : cause,
    ...own,
  };
};

/** JSON.stringify's replacer: redaction first, then errors, secrets inside strings, bigints and cycles. */
const replacer = () => {
  const ancestors: unknown[] = [];
  return function (this: unknown, key: string, value: unknown): unknown {
    let v = redactReplacer(key, value);
    if (v instanceof Error) v = errorFields(v);
    if (typeof v === 'string') return scrubSecrets(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'object' && v !== null) {
      while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
      if (ancestors.includes(v)) return undefined;
      ancestors.push(v);
    }
    return v;
  };
};

interface LambdaContextLike {
  functionName: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string | number;
  awsRequestId: string;
}

export class Logger {
  // A floor set by Lambda's advanced logging controls (AWS_LAMBDA_LOG_LEVEL, FATAL =
  // CRITICAL): no level below it is printed, whatever the code asks, as in Powertools.
  readonly #floor: number;
  #level: number;
  // Keys added for the invocation in progress (request id, tenant); resetKeys clears them.
  // Module state, not per async context: a Lambda instance runs one invocation at a time.
  #keys: Attributes = {};
  #context: Attributes | undefined;
  #coldStart = process.env.AWS_LAMBDA_INITIALIZATION_TYPE !== 'provisioned-concurrency';
  readonly #warned = new Set<string>();

  constructor(readonly service: string) {
    const env = process.env;
    const alc = env.AWS_LAMBDA_LOG_LEVEL === 'FATAL' ? 'CRITICAL' : env.AWS_LAMBDA_LOG_LEVEL;
    this.#floor = thresholdOf(alc) ?? 0;
    const initial = thresholdOf(env.POWERTOOLS_LOG_LEVEL) ?? thresholdOf(env.LOG_LEVEL) ?? THRESHOLD.INFO;
    this.#level = Math.max(initial, this.#floor);
  }

  /** Changes the level at run time (tests); never below the Lambda's logging controls. */
  setLogLevel(level: LogLevel): void {
    const t = thresholdOf(level);
    if (t === undefined) throw new Error(`Invalid log level: ${level}`);
    this.#level = Math.max(t, this.#floor);
  }

  /** The Lambda context's fields on every line of this invocation; cold_start true on the first. */
  addContext(context: LambdaContextLike): void {
    this.#context = {
      cold_start: this.#coldStart,
      function_arn: context.invokedFunctionArn,
      function_memory_size: context.memoryLimitInMB,
      function_name: context.functionName,
      function_request_id: context.awsRequestId,
    };
    this.#coldStart = false;
  }

  appendKeys(attributes: Attributes): void {
    Object.assign(this.#keys, this.#allowed(attributes));
  }

  resetKeys(): void {
    this.#keys = {};
  }

  debug(message: string, extra?: Attributes | Error): void {
    this.#print(THRESHOLD.DEBUG, 'DEBUG', message, extra);
  }
  info(message: string, extra?: Attributes | Error): void {
    this.#print(THRESHOLD.INFO, 'INFO', message, extra);
  }
  warn(message: string, extra?: Attributes | Error): void {
    this.#print(THRESHOLD.WARN, 'WARN', message, extra);
  }
  error(message: string, extra?: Attributes | Error): void {
    this.#print(THRESHOLD.ERROR, 'ERROR', message, extra);
  }

  #allowed(attributes: Attributes): Attributes {
    const out: Attributes = {};
    for (const [k, v] of Object.entries(attributes)) {
      if (!RESERVED.has(k)) out[k] = v;
      else if (!this.#warned.has(k)) {
        this.#warned.add(k);
        this.warn(`The key "${k}" is a reserved key and will be dropped.`);
      }
    }
    return out;
  }

  #print(threshold: number, level: string, message: string, extra: Attributes | Error | undefined): void {
    if (threshold < this.#level) return;
    // X-Ray's trace id is the Root part of the variable Lambda sets per invocation.
    const trace = /Root=([^;]+)/.exec(process.env._X_AMZN_TRACE_ID ?? '')?.[1];
    const line: Attributes = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      ...this.#context,
      xray_trace_id: trace,
      ...this.#keys,
      ...(extra instanceof Error ? { error: extra } : extra ? this.#allowed(extra) : {}),
    };
    // Empty top-level fields are left out (an optional attribute that is absent, no context).
    for (const k of Object.keys(line)) {
      if (line[k] === undefined || line[k] === null || line[k] === '') delete line[k];
    }
    const text = `${JSON.stringify(line, replacer())}\n`;
    // stdout for DEBUG/INFO, stderr for WARN/ERROR, as Powertools' console did; Lambda
    // sends both to CloudWatch unchanged (not through the runtime's patched console).
    (threshold >= THRESHOLD.WARN ? process.stderr : process.stdout).write(text);
  }
}

/**
 * The one logger of a Lambda: a module singleton, JSON, secrets redacted. It lives in
 * core/ because core work that must not fail its caller (outbound events) logs and goes
 * on; functions/middleware/logger.ts re-exports it for the handlers.
 */
export const logger = new Logger('integrations');
