// Finds the Sky130 hd standard-cell files through PDK_ROOT, in the volare /
// open_pdks layout: $PDK_ROOT/sky130A/libs.ref/sky130_fd_sc_hd/{lib,lef,techlef}.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlowError } from './errors.ts';
import { REPO_ROOT } from './paths.ts';

export type Corner = 'tt' | 'ss';
export const CORNERS: readonly Corner[] = ['tt', 'ss'];

/** Liberty file name per corner: typical 25 °C 1.80 V and slow 100 °C 1.60 V. */
export const LIBERTY_NAME: Record<Corner, string> = {
  tt: 'sky130_fd_sc_hd__tt_025C_1v80.lib',
  ss: 'sky130_fd_sc_hd__ss_100C_1v60.lib',
};

export const STD_CELL_LIB = 'sky130_fd_sc_hd';

/** The repo's default when PDK_ROOT is unset: the shared read-only copy next to the repo. */
export const DEFAULT_PDK_ROOT = resolve(REPO_ROOT, '..', 'shared', 'pdk');

export interface PdkFiles {
  root: string;
  /** Where the root came from, for the report. */
  source: 'option' | 'env' | 'default';
  liberty: string;
  lef: string;
  techLef: string;
}

/**
 * Resolve the PDK: an explicit path (--pdk-root) wins, then $PDK_ROOT, then
 * ../shared/pdk. Throws E_PDK_MISSING (exit 2) naming every path it checked.
 */
export function resolvePdk(corner: Corner, explicit?: string, env: NodeJS.ProcessEnv = process.env): PdkFiles {
  let root: string;
  let source: PdkFiles['source'];
  if (explicit) [root, source] = [resolve(explicit), 'option'];
  else if (env.PDK_ROOT) [root, source] = [resolve(env.PDK_ROOT), 'env'];
  else [root, source] = [DEFAULT_PDK_ROOT, 'default'];
  const hint =
    'Set PDK_ROOT to a directory holding sky130A/libs.ref/sky130_fd_sc_hd (volare/open_pdks layout), ' +
    "e.g. 'export PDK_ROOT=$PWD/../shared/pdk', or install it with 'pip install volare && volare enable --pdk sky130 <version>'.";
  const from = source === 'option' ? '--pdk-root' : source === 'env' ? 'PDK_ROOT' : `default ${DEFAULT_PDK_ROOT} (PDK_ROOT unset)`;
  if (!existsSync(root)) throw new FlowError('E_PDK_MISSING', `PDK root '${root}' (from ${from}) does not exist. ${hint}`);
  const base = resolve(root, 'sky130A', 'libs.ref', STD_CELL_LIB);
  const liberty = resolve(base, 'lib', LIBERTY_NAME[corner]);
  if (!existsSync(liberty)) {
    throw new FlowError('E_LIBERTY_MISSING', `Sky130 ${corner} liberty not found: '${liberty}' (PDK root from ${from}). ${hint}`);
  }
  return {
    root,
    source,
    liberty,
    lef: resolve(base, 'lef', `${STD_CELL_LIB}.lef`),
    techLef: resolve(base, 'techlef', `${STD_CELL_LIB}__nom.tlef`),
  };
}
