// Shared bits of the model tests: fixture paths, temp folders, error matching.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const PILLOW = join(FIXTURES, 'pillow');
// ../shared beside the repo root, wherever the clone lives (as in CI).
export const DAVIS = fileURLToPath(new URL('../../../shared/data/davis480p', import.meta.url));

export function tempDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'screen-model-test-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Asserts `fn` throws a user error with the given code, exit code 2, and message parts. */
export function throwsCode(fn: () => unknown, code: string, ...parts: (string | RegExp)[]): void {
  assert.throws(fn, (e: unknown) => {
    const err = e as { code?: string; exitCode?: number; message: string };
    assert.equal(err.code, code, `error code (message: ${err.message})`);
    assert.equal(err.exitCode, 2);
    for (const p of parts) assert.match(err.message, typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
    return true;
  });
}

export async function rejectsCode(p: Promise<unknown>, code: string, ...parts: (string | RegExp)[]): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    const err = e as { code?: string; exitCode?: number; message: string };
    assert.equal(err.code, code, `error code (message: ${err.message})`);
    assert.equal(err.exitCode, 2);
    for (const p2 of parts) assert.match(err.message, typeof p2 === 'string' ? new RegExp(p2.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p2);
    return true;
  });
}

/** Max abs difference of two equal-length sample arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'lengths differ');
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
