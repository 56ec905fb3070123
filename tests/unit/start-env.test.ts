import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { buildStartEnv } from '../../scripts/start-env.js';

const dev = {
  JWT_ACCESS_SECRET: 'd'.repeat(64),
  ADMISSION_TOKEN_SECRET: 'e'.repeat(64),
  ADMIN_EMAIL: 'admin@evently.local',
  ADMIN_PASSWORD: 'generated-pass',
};
const services = { databaseUrl: 'postgres://postgres@127.0.0.1:5432/evently', redisUrl: 'redis://127.0.0.1:6379' };

describe('npm start environment', () => {
  it('keeps the generated secrets the user did not set when one is set (it used to drop them all and exit 78)', () => {
    const { env } = buildStartEnv({ JWT_ACCESS_SECRET: 'u'.repeat(40) }, dev, services);
    expect(env.JWT_ACCESS_SECRET).toBe('u'.repeat(40));
    expect(env.ADMISSION_TOKEN_SECRET).toBe(dev.ADMISSION_TOKEN_SECRET);
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('names the generated admin password only when it is the one in effect', () => {
    expect(buildStartEnv({}, dev, services).generatedAdminPassword).toBe('generated-pass');
    const own = buildStartEnv({ ADMIN_EMAIL: 'me@example.com', ADMIN_PASSWORD: 'my-own-password' }, dev, services);
    expect(own.generatedAdminPassword).toBeNull();
    expect(loadConfig(own.env).admin).toEqual({ email: 'me@example.com', password: 'my-own-password' });
    // Only a password: the development email goes with it, and the printed line must not show the generated one.
    const onlyPassword = buildStartEnv({ ADMIN_PASSWORD: 'my-own-password' }, dev, services);
    expect(onlyPassword.generatedAdminPassword).toBeNull();
    expect(loadConfig(onlyPassword.env).admin).toEqual({ email: 'admin@evently.local', password: 'my-own-password' });
  });

  it('treats an empty variable as unset and always uses the services it found', () => {
    const { env } = buildStartEnv({ JWT_ACCESS_SECRET: '', DATABASE_URL: 'postgres://elsewhere/x' }, dev, services);
    expect(env.JWT_ACCESS_SECRET).toBe(dev.JWT_ACCESS_SECRET);
    expect(env.DATABASE_URL).toBe(services.databaseUrl);
  });

  it('uses REDIS_SENTINELS or REDIS_CLUSTER_NODES as given (no REDIS_URL next to them) and a multi-host DATABASE_URL', () => {
    const multi = 'postgres://postgres@pg-a:5432,pg-b:5432/evently';
    const { env } = buildStartEnv({ REDIS_SENTINELS: '127.0.0.1:26379' }, dev, { databaseUrl: multi, redisUrl: null });
    expect(env.REDIS_URL).toBeUndefined();
    expect(loadConfig(env).redis.kind).toBe('sentinel');
    expect(loadConfig(env).databaseUrl).toBe(multi);
  });
});
