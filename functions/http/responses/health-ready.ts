import { defineContract } from '../../openapi/contract';
import { readiness } from '../../openapi/shapes/platform';

export const contract = defineContract({
  tag: 'Health',
  summary: 'Readiness',
  description:
    'DynamoDB, SQS and Secrets Manager answer. Else 503 `service_unavailable` with `details.checks` naming each dependency and its state.',
  success: { status: 200, description: 'Every dependency answers.', data: readiness },
  errors: ['service_unavailable'],
});
