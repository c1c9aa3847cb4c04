// The blocks `screen gen` can emit, by design name: each validates its config with the block's
// parameter set and returns the elaborated design plus any non-Verilog outputs.
import { elaborate, type Design } from '../core/index.ts';
import { buildSkidBuffer, streamSliceParams } from './axis/skid_buffer.ts';
import { bilinearX15Params, buildBilinearX15 } from './bilinear_x15/index.ts';
import { buildGruUpdate, gruUpdateParams } from './gru_update/index.ts';
import { buildLineBuffer, lineBufferParams } from './line_buffer/index.ts';
import { buildMacArray, macArrayParams } from './mac_array/index.ts';
import { buildMacPe, macPeParams } from './mac_pe/index.ts';
import { buildRequant, requantParams } from './requant/index.ts';
import { regfileArtifacts, screenRegs, type RegFileSpec } from './regfile/index.ts';

export interface GenResult {
  design: Design;
  /** The validated configuration (for regfile: the register file name and register count). */
  config: Record<string, unknown>;
  configHash: string;
  /** Non-Verilog outputs: file name -> text. */
  extraFiles: Map<string, string>;
}

export interface CatalogEntry {
  summary: string;
  /** Parameter names this design accepts. */
  keys: string[];
  /** One line per parameter with its allowed set and default (for --help). */
  params: string[];
  build(config: Record<string, unknown>, opts?: { regfileSpec?: RegFileSpec }): GenResult;
}

function plain(design: Design, config: Record<string, unknown>): GenResult {
  return { design, config, configHash: design.top.configHash, extraFiles: new Map() };
}

export const CATALOG: Record<string, CatalogEntry> = {
  'mac-pe': {
    summary: 'MAC processing element (accumulate or weight-stationary cascade mode)',
    keys: Object.keys(macPeParams.specs),
    params: macPeParams.describe(),
    build: (c) => {
      const p = macPeParams.validate(c);
      return plain(elaborate(buildMacPe(p).module), p);
    },
  },
  'mac-array': {
    summary: 'weight-stationary systolic MAC array with AXI4-Stream inputs/output',
    keys: Object.keys(macArrayParams.specs),
    params: macArrayParams.describe(),
    build: (c) => {
      const p = macArrayParams.validate(c);
      return plain(elaborate(buildMacArray(p).module), p);
    },
  },
  'line-buffer': {
    summary: 'KxK window line buffer with replicate borders',
    keys: Object.keys(lineBufferParams.specs),
    params: lineBufferParams.describe(),
    build: (c) => {
      const p = lineBufferParams.validate(c);
      return plain(elaborate(buildLineBuffer(p).module), p);
    },
  },
  'bilinear-x15': {
    summary: 'bilinear x1.5 pre-upscaler (the skip path), AXI4-Stream LR pixels in, HR pixels out',
    keys: Object.keys(bilinearX15Params.specs),
    params: bilinearX15Params.describe(),
    build: (c) => {
      const p = bilinearX15Params.validate(c);
      return plain(elaborate(buildBilinearX15(p).module), p);
    },
  },
  requant: {
    summary: 'per-channel requantiser clamp((acc * M + 2^(S-1)) >> S, LO, HI), lanes in parallel, coefficients loaded on s_axis_q',
    keys: Object.keys(requantParams.specs),
    params: requantParams.describe(),
    build: (c) => {
      const p = requantParams.validate(c);
      return plain(elaborate(buildRequant(p).module), p);
    },
  },
  'gru-update': {
    summary: "ConvGRU elementwise unit: --mode rh ((PR, H) -> RH) or update ((PZ, PN, H) -> H'), sigmoid/tanh LUTs",
    keys: Object.keys(gruUpdateParams.specs),
    params: gruUpdateParams.describe(),
    build: (c) => {
      const p = gruUpdateParams.validate(c);
      return plain(elaborate(buildGruUpdate(p).module), p);
    },
  },
  'skid-buffer': {
    summary: 'AXI4-Stream skid buffer (2-entry register slice)',
    keys: Object.keys(streamSliceParams.specs),
    params: streamSliceParams.describe(),
    build: (c) => {
      const p = streamSliceParams.validate(c);
      return plain(elaborate(buildSkidBuffer(p).module), p);
    },
  },
  regfile: {
    summary: 'AXI4-Lite register file + C header + TypeScript driver + markdown table',
    keys: [],
    params: [],
    build: (c, opts) => {
      if (Object.keys(c).length) throw new RangeError(`regfile takes no parameters (got ${Object.keys(c).join(', ')}); describe registers in a spec file`);
      const spec = opts?.regfileSpec ?? screenRegs;
      const a = regfileArtifacts(spec);
      return { design: a.design, config: { name: spec.name, registers: spec.registers.length }, configHash: a.configHash, extraFiles: a.files };
    },
  },
};

export const DESIGN_NAMES = Object.keys(CATALOG);
