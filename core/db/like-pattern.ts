/** A substring ILIKE pattern for user text: its own %, _ and \ match literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
