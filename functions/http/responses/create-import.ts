import * as z from 'zod/mini';
import { defineContract } from '../../openapi/contract';
import { importView, importWithUpload } from '../../openapi/shapes/imports';

export const contract = defineContract({
  tag: 'Imports',
  summary: 'Import a CSV export',
  description:
    'Two forms. `Content-Type: text/csv` with the file as the body (≤ 5 MB; `model`, `end_user_id`, `filename`, `mode` and `mapping` as query parameters) → 202, the import queued. JSON `{ filename, model, end_user_id, workspace_id?, mapping?, mode? }` → 201 with a presigned `upload_url` to PUT the file to within 15 minutes (up to 1 GB); the import starts when the file lands. API Gateway takes at most 10 MB a request and Lambda 6 MB: larger files go straight to S3.',
  success: [
    { status: 202, description: 'The inline file, queued.', data: importView },
    { status: 201, description: 'The import, waiting for its file at `upload_url`.', data: importWithUpload },
  ],
  errors: ['invalid_json', 'payload_too_large', 'validation_failed'],
  requestBody: {
    description: 'The CSV file (text/csv), or the JSON form (application/json).',
    contentType: 'text/csv',
    schema: z.string(),
  },
});
