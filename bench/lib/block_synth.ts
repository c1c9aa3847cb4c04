// Shared by the block synthesis benchmarks (bench/camera_*.ts): synthesise DSL blocks through
// flows/synth (Yosys + OpenSTA, hierarchy kept, no placement) at the requested corners, and
// write the result document to bench/results/<name>.json as well as stdout.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Corner } from '../../flows/pdk.ts';
import { synthesize } from '../../flows/synth/run.ts';
import { elaborate, writeVerilog, type Module } from '../../generators/core/index.ts';

export const SYNTH_NOTE = 'Yosys + OpenSTA through flows/synth: no wire load, no placement; hierarchy kept';

export interface BenchBlock {
  /** What the row measures (kept in the JSON). */
  what: string;
  build: () => { module: Module; flops: number };
  clockMhz: number;
}

/** `--corners tt,ss` -> checked corner list. */
export function parseCorners(arg: string): Corner[] {
  const corners = arg.split(',') as Corner[];
  for (const c of corners) if (c !== 'tt' && c !== 'ss') throw new Error(`--corners: unknown corner '${c}' (tt, ss)`);
  return corners;
}

/** One result row per block and corner: area, cells, flops, Fmax, critical path, per-module area. */
export async function synthBlocks(tag: string, blocks: BenchBlock[], corners: Corner[]) {
  const work = mkdtempSync(join(tmpdir(), `screen-bench-${tag}-`));
  const results = [];
  try {
    for (const b of blocks) {
      const info = b.build();
      const design = elaborate(info.module);
      const top = design.top.name;
      const files = writeVerilog(design, join(work, top, 'rtl'));
      for (const corner of corners) {
        process.stderr.write(`[bench] synthesising ${top} (${corner}) ...\n`);
        const r = await synthesize({ design: top, files, top, corner, clockMhz: b.clockMhz, workDir: join(work, top, corner) });
        results.push({
          top,
          what: b.what,
          corner,
          target_mhz: b.clockMhz,
          rtl_flops: info.flops,
          area_um2: r.area_um2,
          cells: r.cells,
          flops: r.flops,
          fmax_mhz: r.fmax_mhz,
          fmax_reg2reg_mhz: r.fmax_reg2reg_mhz,
          critical_path: r.critical_path && { kind: r.critical_path.kind, startpoint: r.critical_path.startpoint, endpoint: r.critical_path.endpoint, stages: r.critical_path.stages },
          max_fanout_logic: r.max_fanout_logic,
          modules: r.modules.map((m) => ({ module: m.module, own_area_um2: m.own_area_um2 })),
        });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

/** Print the document and write it to `out`. */
export function writeBenchDoc(out: string, doc: Record<string, unknown>): void {
  const json = JSON.stringify({ ...doc, date: new Date().toISOString() }, null, 2);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json + '\n');
  process.stdout.write(json + '\n');
}
