import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { ApiError } from '../../core/platform/errors';
import { withTrace } from '../../core/platform/trace';
import type { AuthContext } from '../../core/tenants/tenants';
import { apiVersion } from './api-version';
import { auth } from './auth';
import { cors } from './cors';
import { errorEnvelope } from './error-envelope';
import { jsonBody } from './json-body';
import { requestLogger } from './logger';
import { rateLimit } from './rate-limit';
import { requestId } from './request-id';
import type { ApiEvent, ApiResult } from './types';
import { type Schemas, validate } from './validate';

type Infer<S> = S extends z.ZodMiniType ? z.infer<S> : undefined;

export type Request<S extends Schemas> = {
  body: Infer<S['body']>;
  query: Infer<S['query']>;
  path: Infer<S['path']>;
  auth: AuthContext | undefined;
  requestId: string;
  event: ApiEvent;
  context: Context;
};

/**
 * What a handler returns: data for the success envelope, or a redirect (302), or `raw` — a
 * body that is not the envelope (the connect page's HTML, its script and stylesheet), sent
 * as is with its content type. `cookies`: Set-Cookie values, which API Gateway (payload v2)
 * sends one header each.
 */
export type Reply = {
  status?: number;
  data?: unknown;
  /**
   * A body sent as it is instead of the success envelope (the connect page's HTML and assets,
   * the proxy's provider answers, MCP's JSON-RPC), with `contentType` or a content-type in
   * `headers`.
   */
  raw?: { body: string; contentType?: string; isBase64Encoded?: boolean };
  headers?: Record<string, string>;
  redirect?: string;
  cookies?: string[];
};

/**
 * The one way to write an HTTP handler: the chain of DESIGN.md around a function that
 * gets typed, validated input and returns the data to wrap in the success envelope.
 */
export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResult>;

/**
 * The handler carries the schemas it validates with, so the OpenAPI document is generated
 * from them (scripts/openapi.ts) at no cost to the bundle: they are in it already.
 */
export type Endpoint<S extends Schemas = Schemas> = HttpHandler & { readonly schemas: S };

type EndpointOptions = { errorResponse?: (error: ApiError, requestId: string) => ApiResult };

export const endpoint = <S extends Schemas>(
  schemas: S,
  fn: (req: Request<S>) => Promise<Reply>,
  options: EndpointOptions = {},
): Endpoint<S> => Object.assign(chain(schemas, fn, options), { schemas });

const chain = <S extends Schemas>(
  schemas: S,
  fn: (req: Request<S>) => Promise<Reply>,
  options: EndpointOptions,
): HttpHandler =>
  middy<ApiEvent, ApiResult, Error, Context>()
    .use(requestId())
    .use(cors())
    .use(requestLogger())
    .use(apiVersion())
    .use(auth())
    .use(rateLimit())
    .use(jsonBody(schemas.body !== undefined))
    .use(validate(schemas))
    .use(errorEnvelope(options.errorResponse))
    .handler(async (event, context) => {
      const parsed = event.state.parsed ?? {};
      // What this request queues carries its id (core/platform/trace.ts).
      const reply = await withTrace(event.state.requestId, () =>
        fn({
          body: parsed.body as Infer<S['body']>,
          query: parsed.query as Infer<S['query']>,
          path: parsed.path as Infer<S['path']>,
          auth: event.state.auth,
          requestId: event.state.requestId,
          event,
          context,
        }),
      );
      const cookies = reply.cookies?.length ? { cookies: reply.cookies } : {};
      if (reply.redirect) {
        return {
          statusCode: reply.status ?? 302,
          headers: { location: reply.redirect, 'cache-control': 'no-store', ...reply.headers },
          ...cookies,
          body: '',
        };
      }
      if (reply.raw) {
        return {
          statusCode: reply.status ?? 200,
          headers: {
            ...(reply.raw.contentType ? { 'content-type': reply.raw.contentType } : {}),
            ...reply.headers,
          },
          ...cookies,
          body: reply.raw.body,
          isBase64Encoded: reply.raw.isBase64Encoded ?? false,
        };
      }
      return {
        statusCode: reply.status ?? 200,
        headers: { 'content-type': 'application/json', ...reply.headers },
        ...cookies,
        body: JSON.stringify({ status: 'success', data: reply.data }),
      };
    }) as unknown as HttpHandler;

/** For handlers on authenticated routes: the auth middleware guarantees it is there. */
export const authOf = (req: { auth: AuthContext | undefined }): AuthContext => {
  if (!req.auth) throw new Error('route is authenticated but no auth context is set');
  return req.auth;
};

/** For handlers on secret-key routes: the auth middleware guarantees it is there. */
export const tenantOf = (req: { auth: AuthContext | undefined }): string => authOf(req).tenantId;

/**
 * The end user a request acts for. With an end-user token it is the token's user, and a
 * different `claimed` one is 403; with a secret key it is `claimed`, which the route
 * then requires (422 when absent and `required`).
 */
export const endUserOf = (
  req: { auth: AuthContext | undefined },
  claimed: string | undefined,
  options: { required: boolean } = { required: true },
): string | undefined => {
  const auth = req.auth;
  if (auth?.kind === 'end_user') {
    if (claimed !== undefined && claimed !== auth.endUserId) {
      throw new ApiError('forbidden', 'This end-user token acts for another end user.');
    }
    return auth.endUserId;
  }
  if (claimed === undefined && options.required) {
    throw new ApiError('validation_failed', 'end_user_id is required with a secret key.', {
      details: { issues: [{ path: 'end_user_id', message: 'Required with a secret key.' }] },
    });
  }
  return claimed;
};

/**
 * The workspace a request acts in. An end-user token bound to workspaces must name one of
 * them (403 `forbidden` when it names none or another); anything else passes `claimed` on.
 */
export const workspaceOf = (
  req: { auth: AuthContext | undefined },
  claimed: string | undefined,
): string | undefined => {
  const bound = req.auth?.kind === 'end_user' ? req.auth.workspaceIds : undefined;
  if (bound && (claimed === undefined || !bound.includes(claimed))) {
    throw new ApiError(
      'forbidden',
      claimed === undefined
        ? 'This end-user token is bound to workspaces: name one of them in workspace_id.'
        : `This end-user token is not bound to workspace ${claimed}.`,
      {
        details: { workspace_ids: bound },
        remediation: 'Send workspace_id with one of the workspaces the token was minted for.',
      },
    );
  }
  return claimed;
};
