// `screen gen`: emit the Verilog of one hardware block (or the default set) into a folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeVerilog } from '../../generators/core/index.ts';
import type { GenResult } from '../../generators/blocks/catalog.ts';
import { DESIGN_CATALOG as CATALOG, ALL_DESIGN_NAMES as DESIGN_NAMES } from '../../generators/designs/catalog.ts';
import type { RegFileSpec } from '../../generators/blocks/regfile/index.ts';
import { UsageError, stringOption, type Command, type CommandContext } from '../command.ts';

/** CLI flag -> block parameter, and how to parse its value. */
const FLAGS: Record<string, { key: string; kind: 'int' | 'bool' | 'string'; help: string }> = {
  rows: { key: 'rows', kind: 'int', help: 'mac-array: PE rows' },
  cols: { key: 'cols', kind: 'int', help: 'mac-array: PE columns' },
  'quant-bits': { key: 'weightBits', kind: 'int', help: 'mac-pe, mac-array: weight bits (8, 6 or 4)' },
  'act-bits': { key: 'actBits', kind: 'int', help: 'mac-pe, mac-array: activation bits' },
  taps: { key: 'taps', kind: 'int', help: 'mac-pe: products per sum' },
  mode: { key: 'mode', kind: 'string', help: 'mac-pe: accumulate or cascade; gru-update: rh or update' },
  'pipe-mul': { key: 'pipeMul', kind: 'bool', help: 'mac-pe, mac-array: register after the multiplier (true/false)' },
  'fifo-depth': { key: 'fifoDepth', kind: 'int', help: 'mac-array: output FIFO entries (0 = none: m_axis has no tready)' },
  k: { key: 'k', kind: 'int', help: 'line-buffer: window size (3, 5, 7)' },
  'max-width': { key: 'maxWidth', kind: 'int', help: 'line-buffer: longest line in pixels' },
  'pixel-bits': { key: 'pixelBits', kind: 'int', help: 'line-buffer: pixel bits' },
  'height-bits': { key: 'heightBits', kind: 'int', help: 'line-buffer: cfg_height width' },
  channels: { key: 'channels', kind: 'int', help: 'bilinear-x15: channels per pixel (1 = luma, 3 = RGB)' },
  lanes: { key: 'lanes', kind: 'int', help: 'requant, gru-update: channels processed per beat' },
  'acc-bits': { key: 'accBits', kind: 'int', help: 'requant: accumulator bits' },
  'out-bits': { key: 'outBits', kind: 'int', help: 'requant: output bits' },
  stall: { key: 'stall', kind: 'bool', help: 'requant, gru-update: tready backpressure (true) or free-running (false)' },
  width: { key: 'width', kind: 'int', help: 'skid-buffer: tdata bits' },
  last: { key: 'last', kind: 'bool', help: 'skid-buffer: has tlast (true/false)' },
  user: { key: 'user', kind: 'bool', help: 'skid-buffer: has tuser (true/false)' },
  'cell-cycles': { key: 'cellCycles', kind: 'int', help: 'top, screen-core: target cycles per grid cell of every stage (sets the MAC lanes)' },
  'stripe-cells': { key: 'stripeCells', kind: 'int', help: 'top, screen-core: widest stripe in grid cells (line-buffer depth)' },
  weights: { key: 'weights', kind: 'string', help: 'top, screen-core: network weights JSON (default weights/crnn_q8.json)' },
  video: { key: 'video', kind: 'string', help: 'top, screen-core: video format y8 (8-bit luma) or rgb888 (24-bit RGB, R in bits 7:0)' },
  'weight-source': { key: 'weightSource', kind: 'string', help: 'top, screen-core: weights baked (default: constants in the conv units) or loaded (start-up tables written through s_axis_weights with screen_top_weights.hex; adds status.weights_loaded and errors.no_weights / weights_len)' },
};

const DEFAULT_SET = ['top', 'mac-pe', 'mac-array', 'line-buffer', 'skid-buffer', 'regfile', 'bilinear-x15', 'requant', 'gru-update'];

function parseValue(flag: string, kind: 'int' | 'bool' | 'string', v: string): unknown {
  if (kind === 'string') return v;
  if (kind === 'bool') {
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    throw new UsageError(`--${flag} must be true or false, got '${v}'`);
  }
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${flag} must be an integer, got '${v}'`);
  return Number(v);
}

/** The block config from the flags given; flags that do not apply to the design are usage errors. */
function configFor(design: string, opts: CommandContext['opts']): Record<string, unknown> {
  const entry = CATALOG[design];
  const cfg: Record<string, unknown> = {};
  for (const [flag, f] of Object.entries(FLAGS)) {
    const v = stringOption(opts, flag);
    if (v === undefined) continue;
    if (!entry.keys.includes(f.key)) throw new UsageError(`--${flag} does not apply to --design ${design} (its parameters: ${entry.keys.join(', ') || 'none'})`);
    cfg[f.key] = parseValue(flag, f.kind, v);
  }
  return cfg;
}

function loadSpec(path: string): RegFileSpec {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RegFileSpec;
  } catch (e) {
    throw new UsageError(`--spec ${path}: cannot read a JSON register description (${(e as Error).message})`);
  }
}

function emit(design: string, r: GenResult, out: string): { doc: Record<string, unknown>; files: string[] } {
  mkdirSync(out, { recursive: true });
  const files = writeVerilog(r.design, out);
  for (const [name, text] of r.extraFiles) {
    const p = join(out, name);
    writeFileSync(p, text);
    files.push(p);
  }
  const rel = files.map((f) => {
    const r = relative(process.cwd(), f);
    return r && !r.startsWith('..') ? r : f;
  });
  return { doc: { design, top: r.design.top.name, config: r.config, config_hash: r.configHash, files: rel, modules: r.design.modules.length }, files: rel };
}

export const command: Command = {
  name: 'gen',
  summary: 'generate the Verilog of a hardware block (and the regfile C/TS/markdown)',
  usage: '[--design <name>] [block options] [--out DIR] [--json]',
  options: {
    design: { type: 'string', arg: 'NAME', help: `one of ${DESIGN_NAMES.join(', ')} (default: all of them, default parameters)` },
    out: { type: 'string', arg: 'DIR', default: 'build/rtl', help: 'output folder' },
    spec: { type: 'string', arg: 'FILE', help: 'regfile: JSON register description (default: the SCREEN register map)' },
    ...Object.fromEntries(Object.entries(FLAGS).map(([k, f]) => [k, { type: 'string' as const, arg: f.kind === 'int' ? 'N' : f.kind === 'bool' ? 'BOOL' : 'VALUE', help: f.help }])),
  },
  details: [
    'Without --design, emits every block below with default parameters (what `npm run gen` does);',
    'JSON: {"designs":[...], "files", "modules", "elapsed_ms"}. With --design, JSON:',
    '{"design", "config", "config_hash", "files", "modules", "elapsed_ms"}.',
    'Bad block parameters exit 2 with E_INVALID_PARAM listing every violation.',
    ...DESIGN_NAMES.map((d) => `${d}: ${CATALOG[d].summary}${CATALOG[d].params.length ? '\n  ' + CATALOG[d].params.join('\n  ') : ''}`),
  ].join('\n'),
  async run(ctx) {
    const t0 = performance.now();
    const out = stringOption(ctx.opts, 'out', 'build/rtl')!;
    const design = stringOption(ctx.opts, 'design');
    const specPath = stringOption(ctx.opts, 'spec');
    if (design !== undefined && !CATALOG[design]) throw new UsageError(`--design must be one of ${DESIGN_NAMES.join(', ')}; got '${design}'`);
    if (specPath !== undefined && design !== 'regfile') throw new UsageError('--spec only applies to --design regfile');
    if (design === undefined) {
      const given = Object.keys(FLAGS).filter((f) => ctx.opts[f] !== undefined);
      if (given.length) throw new UsageError(`block options (${given.map((g) => `--${g}`).join(', ')}) need --design`);
      const docs: Record<string, unknown>[] = [];
      const files: string[] = [];
      let modules = 0;
      for (const d of DEFAULT_SET) {
        const r = emit(d, CATALOG[d].build({}), out);
        docs.push(r.doc);
        files.push(...r.files);
        modules += r.doc.modules as number;
        ctx.log(`gen: ${d} -> ${r.doc.top} (${r.doc.modules} modules)`);
      }
      const elapsed = Math.round(performance.now() - t0);
      return { exitCode: 0, json: { designs: docs, files, modules, elapsed_ms: elapsed }, text: [...files, `${files.length} files, ${modules} modules, ${elapsed} ms`].join('\n') };
    }
    const cfg = configFor(design, ctx.opts);
    const r = CATALOG[design].build(cfg, specPath ? { regfileSpec: loadSpec(specPath) } : undefined);
    const { doc, files } = emit(design, r, out);
    const elapsed = Math.round(performance.now() - t0);
    return {
      exitCode: 0,
      json: { design, config: doc.config, config_hash: doc.config_hash, files, modules: doc.modules, elapsed_ms: elapsed },
      text: [...files, `${design} (${doc.top}): ${files.length} files, ${doc.modules} modules, config hash ${doc.config_hash}, ${elapsed} ms`].join('\n'),
    };
  },
};
