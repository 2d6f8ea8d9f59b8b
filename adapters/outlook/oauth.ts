/**
 * The Microsoft identity platform's token endpoint, exactly as the Teams adapter talks to it
 * (the `scope` again on both grants, `interaction_required` as a dead grant): one Entra app
 * registration and one flow for every Microsoft Graph provider.
 * https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
 */
export { oauth } from '../microsoft-teams/oauth';
