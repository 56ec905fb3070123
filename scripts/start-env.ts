/** What `npm start` runs with: the user's environment first, generated development secrets for what is missing. */
export interface StartEnv {
  env: Record<string, string>;
  /** The generated admin password when it is the one in effect (ADMIN_PASSWORD unset), else null. */
  generatedAdminPassword: string | null;
}

export function buildStartEnv(
  processEnv: Record<string, string | undefined>,
  devSecrets: Record<string, string>,
  services: { databaseUrl: string; redisUrl: string | null },
): StartEnv {
  const given = Object.fromEntries(Object.entries(processEnv).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
  // Each secret on its own: setting JWT_ACCESS_SECRET alone must not drop the generated others.
  const missing = Object.fromEntries(Object.entries(devSecrets).filter(([k]) => given[k] === undefined));
  return {
    env: {
      ...given,
      ...missing,
      DATABASE_URL: services.databaseUrl,
      // Sentinels or a cluster given: those, as given (REDIS_URL next to them would be refused).
      ...(services.redisUrl === null ? {} : { REDIS_URL: services.redisUrl }),
    },
    generatedAdminPassword: given.ADMIN_PASSWORD === undefined ? (devSecrets.ADMIN_PASSWORD ?? null) : null,
  };
}
