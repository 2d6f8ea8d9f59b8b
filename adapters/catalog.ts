import type { AuthMode, ProviderManifest, SyncDeclaration } from './types';

/**
 * What the provider catalog (GET /v1/providers: its summaries and filters) reads of a
 * manifest, and no more: generated for every provider by `npm run schemas`
 * (scripts/json-schemas.ts) into adapters/catalog.generated.json, one file in registry order,
 * so listing the providers loads one JSON chunk — no manifest, no zod, no per-provider chunk.
 * A manifest is one too (the types line up), which is how the test compares the two.
 */
export type CatalogEntry = Pick<ProviderManifest, 'name' | 'displayName' | 'categories' | 'curated'> & {
  /** The auth modes it takes: only whether each is there is read. */
  auth: Partial<Record<AuthMode, unknown>>;
  syncs: readonly Pick<SyncDeclaration, 'name' | 'model'>[];
  actions: readonly { name: string }[];
  /** Whether it sends webhooks: only whether it is there is read. */
  webhooks?: unknown;
};
