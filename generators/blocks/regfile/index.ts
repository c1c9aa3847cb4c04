// AXI4-Lite register file generated from ONE RegFileSpec (spec.ts): the Verilog slave (via the
// DSL), the C header, the ts-morph TypeScript driver and the markdown table, all stamped with the
// same config hash. Response codes: README.md.
import { cat, configHash, elaborate, lit, Module, mux, rep, type Design, type Expr, type Signal } from '../../core/index.ts';
import { emitCHeader } from './c_header.ts';
import { emitMarkdown } from './markdown.ts';
import { fieldWidth, validateRegFileSpec, type FieldSpec, type RegFileSpec, type RegisterSpec } from './spec.ts';
import { emitTsDriver } from './ts_driver.ts';

export { screenRegs } from './screen_regs.ts';
export * from './spec.ts';

const OKAY = 0;
const SLVERR = 2;
const DECERR = 3;

/** The object every artifact's config hash is computed from. */
export function regfileConfig(spec: RegFileSpec): Record<string, unknown> {
  return { block: 'regfile', spec: validateRegFileSpec(spec) };
}

export function regfileHash(spec: RegFileSpec): string {
  return configHash(regfileConfig(spec));
}

/** Hardware-side port name of a field. */
export function fieldPort(r: RegisterSpec, f: FieldSpec): string {
  return `${r.name}_${f.name}`;
}

/** The 32-bit read value of a register from per-field values (zeros in unused bits). */
function assemble(fields: { f: FieldSpec; v: Expr }[]): Expr {
  const parts: Expr[] = [];
  let bit = 32;
  for (const { f, v } of [...fields].sort((a, b) => b.f.msb - a.f.msb)) {
    if (f.msb < bit - 1) parts.push(lit(0, bit - 1 - f.msb));
    parts.push(v);
    bit = f.lsb;
  }
  if (bit > 0) parts.push(lit(0, bit));
  return cat(...parts);
}

export function buildRegFile(spec: RegFileSpec): Module {
  const s = validateRegFileSpec(spec);
  const AB = s.addrBits;
  const m = new Module(s.name, { params: regfileConfig(s), doc: `AXI4-Lite register file '${s.name}': ${s.doc}` });

  const awaddr = m.input('s_axil_awaddr', AB);
  const awvalid = m.input('s_axil_awvalid', 1);
  const awready = m.output('s_axil_awready', 1);
  const wdata = m.input('s_axil_wdata', 32);
  const wstrb = m.input('s_axil_wstrb', 4);
  const wvalid = m.input('s_axil_wvalid', 1);
  const wready = m.output('s_axil_wready', 1);
  const bresp = m.output('s_axil_bresp', 2);
  const bvalid = m.output('s_axil_bvalid', 1);
  const bready = m.input('s_axil_bready', 1);
  const araddr = m.input('s_axil_araddr', AB);
  const arvalid = m.input('s_axil_arvalid', 1);
  const arready = m.output('s_axil_arready', 1);
  const rdata = m.output('s_axil_rdata', 32);
  const rresp = m.output('s_axil_rresp', 2);
  const rvalid = m.output('s_axil_rvalid', 1);
  const rready = m.input('s_axil_rready', 1);
  m.unused(awaddr.slice(1, 0), 'byte offset inside a 32-bit register');
  m.unused(araddr.slice(1, 0), 'byte offset inside a 32-bit register');

  // ---- write channel: AW and W are taken together, one response per write -------------
  const bvalidQ = m.regInit('bvalid_q', 1, 0);
  const brespQ = m.regInit('bresp_q', 2, 0);
  const wrGo = m.wire('wr_go', awvalid.and(wvalid).and(bvalidQ.not()));
  awready.set(wrGo);
  wready.set(wrGo);
  const wWord = awaddr.slice(AB - 1, 2);
  const byteMask = m.wire('byte_mask', cat(...[3, 2, 1, 0].map((b) => rep(wstrb.bit(b), 8))));

  // ---- read channel ------------------------------------------------------------------
  const rvalidQ = m.regInit('rvalid_q', 1, 0);
  const rdataQ = m.regInit('rdata_q', 32, 0);
  const rrespQ = m.regInit('rresp_q', 2, 0);
  const arReady = m.wire('ar_ready', rvalidQ.not());
  arready.set(arReady);
  const rdGo = m.wire('rd_go', arvalid.and(arReady));
  const rWord = araddr.slice(AB - 1, 2);

  let wResp: Expr = lit(DECERR, 2);
  let rValue: Expr = lit(0, 32);
  let rResp: Expr = lit(DECERR, 2);
  for (const r of s.registers) {
    const word = r.offset >> 2;
    const hitW = r.access === 'RO' ? lit(0, 1) : m.wire(`wr_${r.name}`, wrGo.and(wWord.eq(word)));
    const vals: { f: FieldSpec; v: Expr }[] = [];
    for (const f of r.fields) {
      const w = fieldWidth(f);
      const wd = wdata.slice(f.msb, f.lsb);
      const bm = byteMask.slice(f.msb, f.lsb);
      const name = fieldPort(r, f);
      if (r.access === 'RO') {
        vals.push({ f, v: m.input(name, w, { doc: `${r.name}.${f.name}: ${f.doc}` }) });
        continue;
      }
      const q: Signal = m.regInit(`${name}_q`, w, f.reset ?? 0, { doc: f.doc });
      const out = m.output(name, w, { doc: `${r.name}.${f.name}: ${f.doc}` });
      out.set(q);
      if (r.access === 'W1C') {
        const set = m.input(`${name}_set`, w, { doc: `set ${r.name}.${f.name} bits (hardware event)` });
        const clr = mux(hitW, wd.and(bm), lit(0, w));
        q.set(q.and(clr.not()).or(set)); // a set in the same cycle as a clear wins
      } else {
        m.when(hitW, () => q.set(q.and(bm.not()).or(wd.and(bm))));
      }
      vals.push({ f, v: r.access === 'WO' ? lit(0, w) : q });
    }
    if (r.access === 'WO') {
      const stb = m.regInit(`${r.name}_wstb_q`, 1, 0);
      stb.set(hitW);
      m.output(`${r.name}_wstb`, 1, { doc: `pulses one cycle after each write to ${r.name}` }).set(stb);
    }
    const hitWordW = wWord.eq(word);
    wResp = mux(hitWordW, lit(r.access === 'RO' ? SLVERR : OKAY, 2), wResp);
    const hitWordR = rWord.eq(word);
    rValue = mux(hitWordR, assemble(vals), rValue);
    rResp = mux(hitWordR, lit(OKAY, 2), rResp);
  }

  m.when(wrGo, () => {
    bvalidQ.set(1);
    brespQ.set(wResp);
  }).elsewhen(bready, () => bvalidQ.set(0));
  bvalid.set(bvalidQ);
  bresp.set(brespQ);

  m.when(rdGo, () => {
    rvalidQ.set(1);
    rdataQ.set(rValue);
    rrespQ.set(rResp);
  }).elsewhen(rready, () => rvalidQ.set(0));
  rvalid.set(rvalidQ);
  rdata.set(rdataQ);
  rresp.set(rrespQ);
  return m;
}

export interface RegFileArtifacts {
  configHash: string;
  design: Design;
  /** file name -> text for the .h, .ts and .md outputs (the .v files come from `design`). */
  files: Map<string, string>;
}

/** Everything generated from one description, all stamped with the same config hash. */
export function regfileArtifacts(spec: RegFileSpec): RegFileArtifacts {
  const s = validateRegFileSpec(spec);
  const hash = regfileHash(s);
  const design = elaborate(buildRegFile(s));
  const files = new Map<string, string>([
    [`${s.name}.h`, emitCHeader(s, hash)],
    [`${s.name}.ts`, emitTsDriver(s, hash)],
    [`${s.name}.md`, emitMarkdown(s, hash)],
  ]);
  return { configHash: hash, design, files };
}
