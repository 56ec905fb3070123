import { type Interceptor, SchemaValidationError } from 'slonik';

/**
 * Checks every row against the zod type of its query (`sql.type(...)`) and returns the parsed
 * row: without this interceptor slonik only types rows, it never checks them (slonik's README).
 * A row that does not match is refused with SchemaValidationError (the query, the row and the
 * zod issues), never passed on silently. Queries built with `sql.unsafe` carry `z.any()`.
 */
export function createResultParserInterceptor(): Interceptor {
  return {
    name: 'evently-result-parser',
    transformRow(context, query, row) {
      const parser = context.resultParser;
      if (!parser) return row;
      const result = parser.safeParse(row);
      if (!result.success) {
        const err = new SchemaValidationError(query, row, result.error.issues);
        const where = result.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`)
          .join('; ');
        // Say which column broke the type, not only that one did (a log line must be enough).
        (err as { message: string }).message = `${err.message} ${where}`;
        throw err;
      }
      return result.data;
    },
  };
}
