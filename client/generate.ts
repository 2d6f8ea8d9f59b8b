import openapiTS, { astToString } from 'openapi-typescript';

/**
 * client/schema.d.ts from the OpenAPI document: the types openapi-fetch checks every call
 * against. `npm run openapi` writes it beside docs/openapi.json; test/unit/openapi.test.ts
 * fails when it is stale. openapi-typescript needs TypeScript 5's compiler API, which the
 * repository's TypeScript 7 no longer ships: this package brings its own (client/package.json).
 */
export const clientTypes = async (document: object): Promise<string> => {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], {
    // A field with a default is optional to send (openapi-typescript 7 would require it).
    defaultNonNullable: false,
  });
  return `/** Generated from docs/openapi.json by \`npm run openapi\` (openapi-typescript): do not edit. */\n\n${astToString(ast)}`;
};
