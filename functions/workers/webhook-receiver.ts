import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { receiveWebhook } from '../../core/webhooks';
import { errorEnvelope } from '../middleware/error-envelope';
import { requestLogger } from '../middleware/logger';
import { requestId } from '../middleware/request-id';
import type { ApiEvent, ApiResult } from '../middleware/types';

/**
 * The function URL for provider webhooks, `/webhooks/{tenant_id}/{integration_key}`.
 * No API key or version here: providers authenticate by signature.
 */
export const handler = middy<ApiEvent, ApiResult, Error, Context>()
  .use(requestId())
  .use(requestLogger())
  .use(errorEnvelope())
  .handler(async (event) => receiveWebhook(event.rawPath)) as unknown as (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<ApiResult>;
