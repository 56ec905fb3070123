/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import { migrate } from '../core/db/migrate.js';

const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write('DATABASE_URL is not set\n');
  process.exit(78);
}
const applied = await migrate(url);
process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'up to date\n');
