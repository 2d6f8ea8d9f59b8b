import * as z from 'zod/mini';

// The connection config (the manifest's `config`), importing zod only: adapters/configs.ts says why.
/** A team or project id: a number, as Figma writes it (`1234567890`). */
export const numericId = (what: string) => z.string().check(z.regex(/^\d{1,30}$/), z.describe(what));

// Figma has no "list my teams" endpoint for personal access tokens or OAuth apps: a team id is
// read off the team's URL (figma.com/files/team/<id>/…), so the connection names its teams.
// https://developers.figma.com/docs/rest-api/projects-endpoints/
// Optional like every config field (a connection may get its config after connecting), but
// the syncs refuse to run without it.
export const config = z.object({
  team_ids: z.optional(
    z
      .array(numericId('Team id, from figma.com/files/team/<id>/…'))
      .check(
        z.minLength(1),
        z.maxLength(50),
        z.describe('The teams to read (Figma has no API that lists a user’s teams); the syncs need it'),
      ),
  ),
  project_ids: z.optional(
    z
      .array(numericId('Project id'))
      .check(z.maxLength(500), z.describe('Only these projects of those teams (default: all)')),
  ),
});
