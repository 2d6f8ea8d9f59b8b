/**
 * `GET /me` (who the mailbox belongs to: the account) and the user's Entra tenant when Graph
 * tells (`tenant_id`, what webhook lifecycle events route by), as the Teams adapter verifies:
 * the same user, the same call.
 * https://learn.microsoft.com/en-us/graph/api/user-get
 * https://learn.microsoft.com/en-us/graph/api/organization-get
 */
export { verifyCredentials } from '../microsoft-teams/verify';
