// Helpers of the sweep tests: a scratch directory per describe() and the CLI runner.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../flows/paths.ts';

export function useScratch(prefix: string): { readonly dir: string } {
  const state = { dir: '' };
  before(() => {
    state.dir = mkdtempSync(join(tmpdir(), `screen-sweep-${prefix}-`));
  });
  after(() => {
    if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}

export function screen(args: string[], env: NodeJS.ProcessEnv = process.env): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'screen.js'), ...args], { encoding: 'utf8', cwd: REPO_ROOT, env });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
