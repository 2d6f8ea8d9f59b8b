import type { Json } from '../harness';

/**
 * One provider, end to end through the HTTP API, as a user tries it (issue 6 "done
 * when"): test/integration/providers/providers-e2e.test.ts runs every scenario in
 * test/integration/providers/*.scenario.ts — create the integration and the connection
 * against the provider's fake, run each sync through the real worker and read its
 * records (validated against the unified model), execute each action through
 * POST /v1/tools/execute, and see each error class mapped.
 *
 * A scenario file default-exports a `ProviderScenario`.
 */
export type ProviderScenario = {
  provider: string;
  /** Starts the provider's fake, seeded for every sync and action. */
  start(): Promise<StartedScenario>;
};

export type StartedScenario = {
  stop(): Promise<void>;
  /** POST /v1/integrations body without `unique_key` (`provider`, `endpoints` at the fake, …). */
  integration: Record<string, unknown>;
  /** POST /v1/connections fields beside `integration` and `end_user_id`. */
  connection: { credentials: Record<string, unknown>; config?: Record<string, unknown> };
  /**
   * Every sync the provider declares: its model and how many records a full run of the
   * seed yields (the e2e test checks the feed holds exactly that many, each valid).
   */
  syncs: Record<string, { model: string; count: number }>;
  /**
   * Every action the provider declares: a valid input, and a check of the `data` answered
   * (throw or `expect` inside). Write actions should show their effect at the fake.
   */
  actions: Record<string, { input: Record<string, unknown>; check(data: Json): void | Promise<void> }>;
  /** The action whose input the error-class checks use (a read action is best). */
  probe: string;
  /**
   * The provider's next request (any endpoint) answers: `refuse` — a documented 4xx
   * refusal with the provider's error body and message (not 401/429); `down` — a 5xx;
   * `rate_limit` — the provider's documented rate-limit answer with a wait of
   * `retryAfterSeconds`.
   */
  failNext(kind: 'refuse' | 'down' | 'rate_limit', retryAfterSeconds?: number): void;
  /** The provider's message in the `refuse` answer (the API passes it on). */
  refusalMessage: string;
};
