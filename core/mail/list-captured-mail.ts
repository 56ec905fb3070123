import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CapturedMail } from './start-smtp-sink.js';

/** The newest mail the local sink wrote to `dir` (file names start with the arrival time). */
export function listCapturedMail(dir: string, limit = 100): CapturedMail[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files
    .sort()
    .reverse()
    .slice(0, limit)
    .flatMap((f) => {
      try {
        return [JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as CapturedMail];
      } catch {
        return [];
      }
    });
}
