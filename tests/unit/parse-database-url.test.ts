import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { parseDatabaseUrl } from '../../core/db/parse-database-url.js';

const base = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ACCESS_SECRET: 'x'.repeat(32),
  ADMISSION_TOKEN_SECRET: 'y'.repeat(32),
};

describe('parseDatabaseUrl', () => {
  it('passes a single-host URL through unchanged', () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/evently',
      'postgresql://u:p%40ss@db.example.com/evently?sslmode=require&application_name=gw',
      'postgres://u@[::1]:6432/x',
      'postgres:///evently?host=/var/run/postgresql',
    ]) {
      expect(parseDatabaseUrl(url).urls).toEqual([url]);
    }
  });

  it('splits a libpq host list into one URL per host, in order, keeping credentials, database and options', () => {
    const r = parseDatabaseUrl(
      'postgres://app:s3cr%2Ct@h1:5432,h2,[fd00::2]:6543/evently?sslmode=require&target_session_attrs=read-write',
    );
    expect(r.hosts).toEqual(['h1:5432', 'h2:5432', '[fd00::2]:6543']);
    expect(r.urls).toEqual([
      'postgres://app:s3cr%2Ct@h1:5432/evently?sslmode=require&target_session_attrs=read-write',
      'postgres://app:s3cr%2Ct@h2:5432/evently?sslmode=require&target_session_attrs=read-write',
      'postgres://app:s3cr%2Ct@[fd00::2]:6543/evently?sslmode=require&target_session_attrs=read-write',
    ]);
    for (const u of r.urls) {
      const url = new URL(u);
      expect(decodeURIComponent(url.password)).toBe('s3cr,t');
      expect(url.pathname).toBe('/evently');
    }
  });

  it('splits userinfo at the last @ (as URL parsers do) and accepts hosts without a path', () => {
    const r = parseDatabaseUrl('postgres://u:p@x@h1:1,h2:2');
    expect(r.urls).toEqual(['postgres://u:p@x@h1:1', 'postgres://u:p@x@h2:2']);
  });

  it('refuses hostile and broken URLs with a message that does not echo the password', () => {
    const bad: [string, RegExp][] = [
      ['', /empty/],
      ['mysql://h1,h2/db', /postgres/],
      ['http://h1/db', /postgres/],
      ['postgres:/h1/db', /postgres/],
      ['postgres://h1,,h2/db', /host 2 is empty/],
      ['postgres://h1,/db', /host 2 is empty/],
      ['postgres://,h2/db', /host 1 is empty/],
      ['postgres://h1:0,h2/db', /port outside/],
      ['postgres://h1:65536,h2/db', /port outside/],
      ['postgres://h1:99999999999,h2/db', /port/],
      ['postgres://h1:,h2/db', /needs a port/],
      ['postgres://h1:5432:1,h2/db', /not a host/],
      ['postgres://h1:-1,h2/db', /not a host/],
      ['postgres://h 1,h2/db', /whitespace/],
      ['postgres://h1,h2/db\n', /whitespace/],
      ['postgres://h1\u0000,h2/db', /control/],
      ['postgres://h1,h2%0A/db', /cannot have/],
      ['postgres://h1,h2%2C/db', /cannot have/],
      ['postgres://h1,h2%zz/db', /%-escape/],
      ['postgres://h1,[not-ipv6]/db', /not a host/],
      ['postgres://h1,h2<script>/db', /not a host/],
      ['postgres://h1,h2/db?host=h3', /\?host=/],
      ['postgres://h1,h2/db?port=5433', /\?port=/],
      ['postgres://h1,h2/db?target_session_attrs=any', /read-write/],
      ['postgres://h1/db?target_session_attrs=read-only', /read-write/],
      [`postgres://${Array.from({ length: 17 }, (_, i) => `h${i}`).join(',')}/db`, /more than 16/],
      [`postgres://h1,h2/${'a'.repeat(5000)}`, /longer/],
    ];
    for (const [url, message] of bad) {
      expect(() => parseDatabaseUrl(url), url).toThrow(message);
    }
    try {
      parseDatabaseUrl('postgres://u:hunter2-secret@h1:0,h2/db');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('is what the config checks: a multi-host DATABASE_URL loads, a broken one is reported by name', () => {
    expect(loadConfig({ ...base, DATABASE_URL: 'postgres://u@h1:5432,h2:5432/db' }).databaseUrl).toBe(
      'postgres://u@h1:5432,h2:5432/db',
    );
    expect(() => loadConfig({ ...base, DATABASE_URL: 'postgres://u@h1:5432,,h2/db' })).toThrow(/DATABASE_URL: host 2 is empty/);
  });
});
