// Shared helpers for the flow tests: a scratch directory per describe() and the CLI runner.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../flows/paths.ts';

/**
 * A scratch directory for the enclosing describe(): made in its before() hook and
 * removed in after(), so loading the file without running it leaves nothing behind.
 */
export function useScratch(prefix: string): { readonly dir: string } {
  const state = { dir: '' };
  before(() => {
    state.dir = mkdtempSync(join(tmpdir(), `screen-flows-${prefix}-`));
  });
  after(() => {
    if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}

export function screen(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'screen.js'), ...args], { encoding: 'utf8', env, cwd: REPO_ROOT });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
