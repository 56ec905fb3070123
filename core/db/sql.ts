import { createSqlTag } from 'slonik';
import { z } from 'zod';

/**
 * The one `sql` tag of the product: values are always bound, dynamic parts go through
 * `sql.identifier`, `sql.join`, `sql.array`, `sql.unnest`, `sql.fragment`. Statements that return
 * no rows use `sql.typeAlias('void')`; any other statement names its row type with `sql.type`.
 */
export const sql = createSqlTag({
  typeAliases: {
    void: z.object({}).strict(),
  },
});
