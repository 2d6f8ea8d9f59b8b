import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { withTrace } from '../../core/platform/trace';
import { receiveWebhook } from '../../core/webhooks/receive';
import { errorEnvelope } from '../middleware/error-envelope';
import { requestLogger } from '../middleware/logger';
import { requestId } from '../middleware/request-id';
import type { ApiEvent, ApiResult } from '../middleware/types';

/**
 * The function URL for provider webhooks, `/webhooks/{tenant_id}/{integration_key}`.
 * No API key or version here: providers authenticate by signature, over the body exactly
 * as sent (a function URL hands binary or non-UTF-8 bodies over base64-encoded).
 */
export const handler = middy<ApiEvent, ApiResult, Error, Context>()
  .use(requestId())
  .use(requestLogger())
  .use(errorEnvelope())
  .handler(async (event) => {
    // The bytes the provider signed: never decoded to text before verifying.
    const rawBody = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.headers ?? {}))
      if (v !== undefined) headers[k.toLowerCase()] = v;
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) query[k] = v;
    // The processor's lines for this delivery carry this request's id (core/platform/trace.ts).
    const answer = await withTrace(event.state.requestId, () =>
      receiveWebhook({
        rawPath: event.rawPath,
        method: event.requestContext.http.method,
        headers,
        query,
        rawBody,
      }),
    );
    return { statusCode: answer.status, headers: { 'content-type': answer.contentType }, body: answer.body };
  }) as unknown as (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResult>;
