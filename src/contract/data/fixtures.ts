/**
 * Test fixtures of the contract: the secrets, clock, issuer, audience and users that the vectors, the
 * scenarios, the examples' tests and the docs use. TEST VALUES ONLY: never use these secrets anywhere real.
 */

/** The built-in test secret. Never use it anywhere real. */
export const TEST_SECRET = 'test-secret-NOT-FOR-PRODUCTION-0123456789abcdef';
/** A second test secret, for "signed with another secret". */
export const OTHER_TEST_SECRET = 'test-secret-OTHER-not-the-backends-0123456789abc';
/** The clock of the published vectors: 2026-01-01T00:00:00Z. */
export const VECTOR_NOW = 1767225600;
/** The example Better Auth base URL (the tokens' iss). */
export const EXAMPLE_ISSUER = 'http://localhost:3000';
/** The example API identifier (the tokens' aud). */
export const EXAMPLE_AUDIENCE = 'http://localhost:8000';
export const EXAMPLE_USER = 'user_123';
export const OTHER_USER = 'user_456';
