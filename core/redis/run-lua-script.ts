import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from './connect-redis.js';

export interface LuaScript {
  /** EVALSHA, falling back to EVAL once when the server has not cached the script (restart, failover). */
  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/** Loads a `.lua` file that sits next to the module running it (`new URL('./x.lua', import.meta.url)`). */
export function loadLuaScript(file: URL): LuaScript {
  const source = readFileSync(file, 'utf8');
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!String(err).includes('NOSCRIPT')) throw err;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
