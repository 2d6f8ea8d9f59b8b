import * as z from 'zod/mini';
import type { ErrorCode } from '../../core/platform/errors';

/**
 * What a route answers, beside what its handler validates. Handlers never import this
 * (nor the shapes under functions/openapi/shapes/ or functions/http/responses/): response
 * schemas exist for the OpenAPI document (scripts/openapi.ts) and for the test that holds
 * every answer of the integration tests against them (test/contract.ts), and cost no
 * handler a byte.
 *
 * Every row of functions/routes.ts has one: `functions/http/responses/<handler file name>`
 * exporting `contract` (test/unit/openapi.test.ts fails for a row without one).
 */

/** Names and descriptions of response shapes: an `id` becomes `#/components/schemas/<id>`. */
export const shapes = z.registry<{ id?: string; description?: string }>();

/** A schema with a description in the published document. */
export const described = <T extends z.ZodMiniType>(schema: T, description: string): T => {
  shapes.add(schema, { description });
  return schema;
};

/** A named shape: one component of the document, referenced wherever it appears. */
export const named = <T extends z.ZodMiniType>(id: string, schema: T, description?: string): T => {
  shapes.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
};

/** An ISO-8601 UTC instant, as every timestamp of the API. */
export const timestamp = () => z.iso.datetime({ offset: true });

/** A list page: the items under a named key and the cursor of the next page (null on the last). */
export const page = <K extends string, T extends z.ZodMiniType>(key: K, item: T) =>
  z.strictObject({
    [key]: z.array(item),
    next_cursor: described(z.nullable(z.string()), 'Pass as `?cursor=` for the next page; null on the last.'),
  } as { [P in K]: z.ZodMiniArray<T> } & { next_cursor: z.ZodMiniNullable<z.ZodMiniString> });

/** Any JSON object (metadata, config, a provider's own payload, a JSON Schema). */
export const jsonObject = () => z.record(z.string(), z.unknown());

export type Tag =
  | 'Health'
  | 'Providers'
  | 'Integrations'
  | 'Connections'
  | 'Connect'
  | 'Connect page'
  | 'End-user tokens'
  | 'Syncs'
  | 'Records'
  | 'Tools'
  | 'Agents'
  | 'Proxy'
  | 'Workspaces'
  | 'Webhook subscriptions'
  | 'Settings'
  | 'Contract'
  | (string & {});

/**
 * A body outside the envelope: the connect page's HTML, its stylesheet and scripts, MCP's
 * JSON-RPC, this document. `contentType` is the media type without parameters (`text/html`
 * matches `text/html; charset=utf-8`); several when the route serves more than one (its
 * assets). `schema` holds the body as the tests read it: parsed JSON, else the text.
 */
export type Raw = { contentType: string | string[]; schema: z.ZodMiniType };

/** A success answer: `{status:"success", data}`, a redirect, a body of its own, or no body. */
export type Success =
  | { status: number; description: string; data: z.ZodMiniType }
  | { status: 302 | 303; description: string; redirect: true }
  | { status: number; description: string; raw: Raw }
  | { status: number; description: string; empty: true };

/** An answer at an error status with a body of the route's own, not the error envelope. */
export type RawError = { status: number; description: string; raw: Raw };

export type HeaderParameter = { description: string; required?: boolean; pattern?: string };

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RouteContract = {
  tag: Tag;
  summary: string;
  description?: string;
  /** One answer, or several (201 created / 200 the same account connected again). */
  success: Success | Success[];
  /**
   * Error codes beyond those every route of its kind can answer (scripts derive those from
   * the route's auth kind and schemas: see errorCodesOf in functions/openapi/errors.ts).
   */
  errors?: ErrorCode[];
  /** Derived codes this route cannot answer (GET /v1/providers/{provider} says `unknown_provider`, never `not_found`). */
  except?: ErrorCode[];
  /**
   * Codes this route also answers at a status other than the error table's, where API.md
   * says so (the proxy: a path that would leave the API base is 400 `validation_failed`).
   */
  errorsAt?: { code: ErrorCode; status: number; when: string }[];
  /** Answers at error statuses outside the envelope: the connect page's HTML pages, MCP's transport errors. */
  rawErrors?: RawError[];
  /**
   * The body this route's error codes come in when it is not the envelope (MCP: a JSON-RPC
   * error, the code under `error.data.code`); `codeOf` reads the code back for the tests.
   */
  errorFormat?: { description: string; raw: Raw; codeOf: (body: unknown) => string | undefined };
  /**
   * Answers passed through from elsewhere, any status and body: the proxy's provider answers.
   * Published as the operation's `default` response with this description.
   */
  passThrough?: string;
  /** A body the handler reads itself, without a schema of its own (the proxy, MCP, the HTML form). */
  requestBody?: { description: string; contentType: string; schema: z.ZodMiniType; required?: boolean };
  /**
   * For an `ANY` row: the methods it is published under (one operation each). The handler
   * answers the others itself, as `errors`/`rawErrors` say.
   */
  methods?: Method[];
  /** Descriptions of path and query parameters, by name. */
  parameters?: Record<string, string>;
  /** Request headers the route reads beyond Authorization and X-Api-Version. */
  headers?: Record<string, HeaderParameter>;
};

/** Identity, so a contract module is type-checked where it is written. */
export const defineContract = (c: RouteContract): RouteContract => c;

/** The content types of a raw body, as a list. */
export const contentTypesOf = (raw: Raw): string[] =>
  Array.isArray(raw.contentType) ? raw.contentType : [raw.contentType];
