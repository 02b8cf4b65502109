/** Better Auth's browser client: sign-up, sign-in and sign-out on the app's own origin (/api/auth/*). */
import { createAuthClient } from 'better-auth/client';

export const authClient = createAuthClient();
