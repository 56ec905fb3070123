/**
 * Secret values that were ever written in this repository (the compose file's local defaults,
 * README examples, the test environment): anyone can read them, so a production process must
 * not run with one. A unit test keeps this list in step with the files it names.
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  'change-me-access-secret-at-least-32-chars',
  'change-me-admission-secret-at-least-32-chars',
  'change-me-admin-password',
  'test-metrics-token-0123456789',
  'admin-password-1',
  'evently',
];

/** Also published: the test environment's secrets share these shapes (`test-access-secret-<id>-0123456789abcdef`). */
export function isPublishedSecret(value: string): boolean {
  return PUBLISHED_SECRETS.includes(value) || /^test-(access|admission)-secret-.*-0123456789abcdef$/.test(value);
}
