import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import type { AuthContext } from '../../core/tenants';
import { apiVersion } from './api-version';
import { auth } from './auth';
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
};

export type Reply = { status?: number; data: unknown; headers?: Record<string, string> };

/**
 * The one way to write an HTTP handler: the chain of DESIGN.md around a function that
 * gets typed, validated input and returns the data to wrap in the success envelope.
 */
export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResult>;

export const endpoint = <S extends Schemas>(
  schemas: S,
  fn: (req: Request<S>) => Promise<Reply>,
): HttpHandler =>
  middy<ApiEvent, ApiResult, Error, Context>()
    .use(requestId())
    .use(requestLogger())
    .use(apiVersion())
    .use(auth())
    .use(rateLimit())
    .use(jsonBody(schemas.body !== undefined))
    .use(validate(schemas))
    .use(errorEnvelope())
    .handler(async (event) => {
      const parsed = event.state.parsed ?? {};
      const reply = await fn({
        body: parsed.body as Infer<S['body']>,
        query: parsed.query as Infer<S['query']>,
        path: parsed.path as Infer<S['path']>,
        auth: event.state.auth,
        requestId: event.state.requestId,
        event,
      });
      return {
        statusCode: reply.status ?? 200,
        headers: { 'content-type': 'application/json', ...reply.headers },
        body: JSON.stringify({ status: 'success', data: reply.data }),
      };
    }) as unknown as HttpHandler;

/** For handlers on secret-key routes: the auth middleware guarantees it is there. */
export const tenantOf = (req: { auth: AuthContext | undefined }): string => {
  if (!req.auth) throw new Error('route is authenticated but no auth context is set');
  return req.auth.tenantId;
};
