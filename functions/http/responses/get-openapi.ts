import { defineContract, jsonObject } from '../../openapi/contract';

export const contract = defineContract({
  tag: 'Contract',
  summary: 'This document',
  description: 'Public: the contract holds no secret, and clients and tools read it before they have a key.',
  success: {
    status: 200,
    description: 'The OpenAPI 3.1 document itself, not in the envelope.',
    raw: { contentType: 'application/json', schema: jsonObject() },
  },
});
