import { loadManifest, loadManifests, providerNames } from '../../adapters/manifests';
import { actionInputSchema, type JsonSchema, loadSchemas } from '../../adapters/schemas';
import type { ActionDeclaration, ProviderManifest } from '../../adapters/types';

/**
 * Tools are the providers' actions, named `<provider>_<action>` (API.md), as their manifests
 * declare them (the data registry: no provider code). Running one is core/tools/execute.ts.
 */
export type Tool = { name: string; provider: ProviderManifest; action: ActionDeclaration };

const toolsIn = (m: ProviderManifest): Tool[] =>
  m.actions.map((action) => ({ name: `${m.name}_${action.name}`, provider: m, action }));

/** Every provider's tools, in registry order. */
export const listToolDefinitions = async (): Promise<Tool[]> => (await loadManifests()).flatMap(toolsIn);

/** One provider's tools (none for a name that is no provider's). */
export const toolsOf = async (provider: string): Promise<Tool[]> => {
  const m = await loadManifest(provider);
  return m ? toolsIn(m) : [];
};

/**
 * The provider and action a tool name names: the longest provider name that, with `_`,
 * begins it (provider names hold `_` themselves: `microsoft_teams_send_channel_message`).
 * Read from the names alone, so running a tool loads one provider, not the catalog.
 */
export const parseToolName = (name: string): { provider: string; action: string } | undefined => {
  const provider = providerNames
    .filter((p) => name.startsWith(`${p}_`))
    .sort((a, b) => b.length - a.length)[0];
  return provider === undefined ? undefined : { provider, action: name.slice(provider.length + 1) };
};

const views = new Map<string, ReturnType<typeof build>>();
const build = (t: Tool, inputSchema: JsonSchema) => ({
  name: t.name,
  provider: t.provider.name,
  description: t.action.description,
  writes: t.action.writes,
  input_schema: inputSchema,
});

/**
 * Tools as GET /v1/tools shows them, in the order given. Their input schemas are the ones
 * generated from the manifests at build time (adapters/schemas.ts, `npm run schemas`), read
 * for the tools' providers only; views are kept once per container.
 */
export const toolViews = async (tools: Tool[]) => {
  const missing = [...new Set(tools.filter((t) => !views.has(t.name)).map((t) => t.provider.name))];
  const schemas = new Map(await Promise.all(missing.map(async (p) => [p, await loadSchemas(p)] as const)));
  return tools.map((t) => {
    let v = views.get(t.name);
    if (!v) {
      const of = schemas.get(t.provider.name);
      if (!of) throw new Error(`no generated schemas for ${t.provider.name}`);
      v = build(t, actionInputSchema(of, t.provider.name, t.action.name));
      views.set(t.name, v);
    }
    return v;
  });
};
