// OpenROAD-flow-scripts (ORFS) design directories for sky130hd: config.mk,
// constraint.sdc and the Verilog, written so that
// `make -C $FLOW_HOME DESIGN_CONFIG=<dir>/config.mk` runs the whole flow.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { FlowError } from '../errors.ts';
import { OPENROAD_DIR } from '../paths.ts';
import { periodNs } from '../sdc.ts';
import { SITE_H_UM, SITE_W_UM, type Floorplan } from './floorplan.ts';

export interface OrfsDesign {
  design: string;
  top: string;
  files: string[];
  params?: Record<string, number>;
  clockMhz: number;
  /** SDC text (flows/sdc.ts renderSdc). */
  sdc: string;
  floorplan: Floorplan;
  cellAreaUm2: number;
  areaCorner: string;
  placeDensity?: number;
  /** Command-line flags that regenerate this directory (for the header comment). */
  regenArgs?: string;
  /** Memory macros the synthesis kept as black boxes (flows/synth/macros.ts), with their timing liberty. */
  macros?: { cell: string; paths: string[]; area_um2: number }[];
  macroLiberty?: string;
}

export const ORFS_FILES = { config: 'config.mk', sdc: 'constraint.sdc', manifest: 'screen-pnr.json' } as const;

const template = Handlebars.compile(readFileSync(join(OPENROAD_DIR, 'config.mk.hbs'), 'utf8'), { noEscape: true });

/** ORFS default-ish density, raised with utilisation so the placer does not spread cells thinner than the floorplan. */
export function placeDensity(utilization: number): number {
  return Math.round(Math.min(0.9, Math.max(0.6, utilization + 0.1)) * 100) / 100;
}

export function writeOrfsDesign(dir: string, d: OrfsDesign): { dir: string; config: string; sdc: string } {
  const out = resolve(dir);
  mkdirSync(join(out, 'src'), { recursive: true });
  const names = d.files.map((f, i) => {
    const name = `${String(i).padStart(2, '0')}_${basename(f)}`;
    copyFileSync(f, join(out, 'src', name));
    return name;
  });
  const fp = d.floorplan;
  const period = periodNs(d.clockMhz);
  const density = d.placeDensity ?? placeDensity(fp.utilization);
  const config = template({
    design: d.design,
    regen_args: d.regenArgs ?? '',
    top: d.top,
    // ORFS keeps results per nickname: the directory name keeps configs of one design apart.
    nickname: basename(out).replace(/[^\w]/g, '_'),
    verilog_files: names.map((n) => `$(SCREEN_DESIGN_DIR)/src/${n}`).join(' \\\n                          '),
    top_params: Object.entries(d.params ?? {}).map(([k, v]) => `${k} ${v}`).join(' '),
    clock_mhz: d.clockMhz,
    period_ps: Math.round(period * 1000),
    cell_area_um2: d.cellAreaUm2.toFixed(1),
    area_corner: d.areaCorner,
    utilization_pct: Math.round(fp.utilization * 100),
    margin_um: fp.marginUm,
    die_area_mm2: fp.dieAreaMm2,
    budget_mm2: fp.budgetMm2,
    die_area: fp.die.join(' '),
    core_area: fp.core.join(' '),
    place_density: density,
    macros: (d.macros ?? []).map((m) => ({ cell: m.cell, count: m.paths.length, area_um2: m.area_um2.toFixed(0), paths: m.paths.join(' ') })),
    macro_reserve_um2: fp.macroReserveUm2.toFixed(0),
    macro_lib: d.macroLiberty ? '$(SCREEN_DESIGN_DIR)/macros.lib' : '',
  });
  if (d.macroLiberty) copyFileSync(d.macroLiberty, join(out, 'macros.lib'));
  writeFileSync(join(out, ORFS_FILES.config), config);
  writeFileSync(join(out, ORFS_FILES.sdc), d.sdc);
  const manifest = { design: d.design, top: d.top, clock_mhz: d.clockMhz, period_ns: period, cell_area_um2: d.cellAreaUm2, floorplan: fp, place_density: density, files: names, macros: d.macros ?? [] };
  writeFileSync(join(out, ORFS_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
  return { dir: out, config: join(out, ORFS_FILES.config), sdc: join(out, ORFS_FILES.sdc) };
}

/** `export NAME = value` lines of a config.mk (continuations joined). */
export function readConfigMk(path: string): Record<string, string> {
  const text = readFileSync(path, 'utf8').replace(/\\\n\s*/g, ' ');
  const vars: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*(?:export\s+)?(\w+)\s*[:?]?=\s*(.*)$/gm)) vars[m[1]] = m[2].trim();
  return vars;
}

/** Every inconsistency between config.mk, constraint.sdc, the sources and the floorplan; empty when fine. */
export function checkOrfsDesign(dir: string): string[] {
  const problems: string[] = [];
  const cfgPath = join(dir, ORFS_FILES.config);
  if (!existsSync(cfgPath)) return [`${cfgPath} does not exist`];
  const v = readConfigMk(cfgPath);
  const need = ['PLATFORM', 'DESIGN_NAME', 'VERILOG_FILES', 'SDC_FILE', 'DIE_AREA', 'CORE_AREA', 'PLACE_DENSITY', 'ABC_CLOCK_PERIOD_IN_PS'];
  for (const k of need) if (!v[k]) problems.push(`config.mk: ${k} is not set`);
  if (problems.length) return problems;
  if (v.PLATFORM !== 'sky130hd') problems.push(`config.mk: PLATFORM is '${v.PLATFORM}', expected sky130hd`);
  const sub = (s: string) => s.replace(/\$\(SCREEN_DESIGN_DIR\)/g, resolve(dir));
  for (const f of v.VERILOG_FILES.split(/\s+/).map(sub)) if (!existsSync(f)) problems.push(`config.mk: VERILOG_FILES entry '${f}' does not exist`);
  const sdcPath = sub(v.SDC_FILE);
  if (!existsSync(sdcPath)) return [...problems, `config.mk: SDC_FILE '${sdcPath}' does not exist`];
  const sdc = readFileSync(sdcPath, 'utf8');
  const per = /set clk_period\s+([\d.]+)/.exec(sdc) ?? /create_clock[^\n]*-period\s+([\d.]+)/.exec(sdc);
  if (!per) problems.push(`${sdcPath}: no clock period`);
  else if (Math.abs(Number(per[1]) * 1000 - Number(v.ABC_CLOCK_PERIOD_IN_PS)) > 0.5) {
    problems.push(`clock mismatch: SDC period ${per[1]} ns vs ABC_CLOCK_PERIOD_IN_PS ${v.ABC_CLOCK_PERIOD_IN_PS}`);
  }
  const die = v.DIE_AREA.split(/\s+/).map(Number);
  const core = v.CORE_AREA.split(/\s+/).map(Number);
  if (die.length !== 4 || core.length !== 4 || [...die, ...core].some((x) => !Number.isFinite(x))) {
    return [...problems, `config.mk: DIE_AREA '${v.DIE_AREA}' / CORE_AREA '${v.CORE_AREA}' must be four numbers each`];
  }
  if (!(core[0] >= die[0] && core[1] >= die[1] && core[2] <= die[2] && core[3] <= die[3] && core[2] > core[0] && core[3] > core[1])) {
    problems.push(`CORE_AREA ${v.CORE_AREA} is not inside DIE_AREA ${v.DIE_AREA}`);
  }
  const onGrid = (x: number, step: number) => Math.abs(x / step - Math.round(x / step)) < 1e-6;
  if (!onGrid(core[2] - core[0], SITE_W_UM) || !onGrid(core[3] - core[1], SITE_H_UM)) {
    problems.push(`CORE_AREA ${v.CORE_AREA} is not a whole number of ${SITE_W_UM} x ${SITE_H_UM} µm sites`);
  }
  const density = Number(v.PLACE_DENSITY);
  if (!(density > 0 && density <= 1)) problems.push(`PLACE_DENSITY ${v.PLACE_DENSITY} is not in (0, 1]`);
  const manPath = join(dir, ORFS_FILES.manifest);
  if (existsSync(manPath)) {
    const man = JSON.parse(readFileSync(manPath, 'utf8')) as { cell_area_um2: number; floorplan: Floorplan; top: string };
    const coreArea = (core[2] - core[0]) * (core[3] - core[1]);
    const dieArea = (die[2] - die[0]) * (die[3] - die[1]);
    if (coreArea + 1e-6 < man.cell_area_um2 / man.floorplan.utilization) {
      problems.push(`core ${coreArea.toFixed(0)} µm² is smaller than cell area / utilisation = ${(man.cell_area_um2 / man.floorplan.utilization).toFixed(0)} µm²`);
    }
    if (dieArea / 1e6 > man.floorplan.budgetMm2 + 1e-9) problems.push(`die ${(dieArea / 1e6).toFixed(4)} mm² exceeds the ${man.floorplan.budgetMm2} mm² budget`);
    if (density < man.cell_area_um2 / coreArea) problems.push(`PLACE_DENSITY ${density} is below the core utilisation ${(man.cell_area_um2 / coreArea).toFixed(2)}`);
    if (man.top !== v.DESIGN_NAME) problems.push(`DESIGN_NAME ${v.DESIGN_NAME} differs from the synthesised top ${man.top}`);
  }
  return problems;
}

/** OpenROAD + ORFS when both are installed: `openroad` on PATH and $FLOW_HOME/Makefile. */
export function orfsAvailable(env: NodeJS.ProcessEnv = process.env): { openroad: string | null; flowHome: string | null } {
  const r = spawnSync('openroad', ['-version'], { encoding: 'utf8', env });
  const flowHome = env.FLOW_HOME && existsSync(join(env.FLOW_HOME, 'Makefile')) ? env.FLOW_HOME : null;
  return { openroad: r.status === 0 ? r.stdout.trim() || 'openroad' : null, flowHome };
}

/** Run the full ORFS flow; resolves with the log path. Progress goes to `log`. */
export function runOrfs(configPath: string, flowHome: string, log: (m: string) => void): Promise<{ logPath: string; seconds: number }> {
  const logPath = join(dirname(configPath), 'orfs.log');
  const t0 = performance.now();
  return new Promise((res, rej) => {
    const child = spawn('nice', ['-n', '10', 'make', '-C', flowHome, `DESIGN_CONFIG=${configPath}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const onData = (d: Buffer) => {
      chunks.push(d);
      for (const l of d.toString('utf8').split('\n')) if (/^\[(INFO|ERROR)|^Running|^Elapsed/.test(l)) log(`[pnr] ${l}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', rej);
    child.on('close', (code) => {
      writeFileSync(logPath, Buffer.concat(chunks));
      if (code !== 0) rej(new FlowError('E_ORFS_FAILED', `ORFS failed (make exit ${code}); see ${logPath}`, 1));
      else res({ logPath, seconds: (performance.now() - t0) / 1000 });
    });
  });
}
