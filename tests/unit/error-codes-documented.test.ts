import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../core/contract/error-codes.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const repoCopy = path.join(ROOT, 'docs/PROTOCOL.md');
const shared = path.join(ROOT, '../shared/PROTOCOL.md');

function documentedCodes(text: string): string[] {
  const section = text.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
  const list = section.split('`retryable`')[0] ?? '';
  return [...list.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] as string);
}

describe('error code registry', () => {
  it('lists exactly the codes PROTOCOL.md documents', () => {
    const docs = documentedCodes(readFileSync(repoCopy, 'utf8'));
    expect(docs.length).toBeGreaterThan(10);
    expect([...errorCodes].sort()).toEqual([...docs].sort());
  });

  it.skipIf(!existsSync(shared))('keeps docs/PROTOCOL.md identical to the shared contract', () => {
    expect(readFileSync(repoCopy, 'utf8')).toBe(readFileSync(shared, 'utf8'));
  });
});
