import { assertReady } from '../../core/platform/health';
import { endpoint } from '../middleware';

/** GET /health/ready — 200 when DynamoDB, SQS and Secrets Manager answer, else 503 naming each. */
export const handler = endpoint({}, async () => ({ data: await assertReady() }));
