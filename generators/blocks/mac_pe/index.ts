// MAC processing element builders (README.md): accumulate mode (standalone MAC with first/last
// framing) and cascade mode (the weight-stationary cell of mac_array).
import { bool, defineParams, int, Module, mux, oneOf, type Expr } from '../../core/index.ts';
import { accWidth } from './widths.ts';

export { accWidth } from './widths.ts';

export const macPeParams = defineParams('mac_pe', {
  mode: oneOf(['accumulate', 'cascade'] as const, { default: 'accumulate', doc: 'own accumulator, or weight-stationary cascade cell' }),
  actBits: int({ min: 2, max: 16, default: 8, doc: 'activation width (signed)' }),
  weightBits: oneOf([8, 6, 4] as const, { default: 8, doc: 'QUANT_BITS: weight width (signed)' }),
  taps: int({ min: 1, max: 65536, default: 9, doc: 'products per sum (cascade: row index + 1)' }),
  pipeMul: bool({ default: true, doc: 'register after the multiplier' }),
});

export type MacPeConfig = ReturnType<typeof macPeParams.validate>;

export interface MacPeBuildParams {
  actBits: number;
  weightBits: number;
  taps: number;
  pipeMul: boolean;
}

export interface MacPeInfo {
  module: Module;
  accBits: number;
  /** Cycles from an accepted last operand to out_valid (accumulate) / from a_in to psum_out (cascade). */
  latency: number;
  flops: number;
}

/** Validate `config` (every violation reported in one E_INVALID_PARAM) and build the PE. */
export function buildMacPe(config: Partial<MacPeConfig> = {}): MacPeInfo {
  const p = macPeParams.validate(config);
  const q = { actBits: p.actBits, weightBits: p.weightBits, taps: p.taps, pipeMul: p.pipeMul };
  return p.mode === 'accumulate' ? buildMacPeAcc(q) : buildMacPeCascade(q);
}

function tag(p: MacPeBuildParams): string {
  return `a${p.actBits}w${p.weightBits}t${p.taps}${p.pipeMul ? 'p' : ''}`;
}

/**
 * Accumulate mode. Ports use AXI4-Stream names so stream tools can drive it:
 * s_axis_tdata = {w, a} (a in the low bits), s_axis_tuser = first product of a sum,
 * s_axis_tlast = last product; no tready (one operand per cycle is always taken).
 * m_axis_tdata = the sum, m_axis_tvalid pulses once per sum; no tready.
 */
export function buildMacPeAcc(p: MacPeBuildParams): MacPeInfo {
  const accW = accWidth(p.actBits, p.weightBits, p.taps);
  const m = new Module(`mac_pe_acc_${tag(p)}`, { params: { block: 'mac_pe', mode: 'accumulate', ...p }, doc: `MAC PE, accumulate mode: s${p.actBits} x s${p.weightBits}, up to ${p.taps} taps, ${accW}-bit accumulator${p.pipeMul ? ', pipelined multiply' : ''}` });
  const inData = m.input('s_axis_tdata', p.actBits + p.weightBits, { doc: '{w, a}' });
  const inValid = m.input('s_axis_tvalid', 1);
  const inFirst = m.input('s_axis_tuser', 1, { doc: 'first product of a sum' });
  const inLast = m.input('s_axis_tlast', 1, { doc: 'last product of a sum' });
  const outData = m.output('m_axis_tdata', accW, { doc: 'the sum (signed)' });
  const outValid = m.output('m_axis_tvalid', 1);

  const a = inData.slice(p.actBits - 1, 0).asSigned();
  const w = inData.slice(p.actBits + p.weightBits - 1, p.actBits).asSigned();
  const prod = m.wire('prod', a.mul(w));
  let pv: Expr = inValid;
  let pf: Expr = inFirst;
  let pl: Expr = inLast;
  let pp: Expr = prod;
  if (p.pipeMul) {
    const r = m.reg('prod_q', prod.width, { reset: null, signed: true, doc: 'product register (pipeline stage)' });
    r.set(prod);
    const v = m.regInit('valid_q', 1, 0);
    v.set(inValid);
    const f = m.reg('first_q', 1, { reset: null });
    f.set(inFirst);
    const l = m.reg('last_q', 1, { reset: null });
    l.set(inLast);
    [pp, pv, pf, pl] = [r, v, f, l];
  }
  // No reset or clear net: `first` loads the product instead of adding it.
  const acc = m.reg('acc', accW, { reset: null, signed: true });
  const ext = pp.sext(accW);
  m.when(pv, () => acc.set(mux(pf, ext, acc.add(ext, accW))));
  const ov = m.regInit('out_valid', 1, 0);
  ov.set(pv.and(pl));
  outData.set(acc.asUnsigned());
  outValid.set(ov);
  const flops = accW + 1 + (p.pipeMul ? p.actBits + p.weightBits + 3 : 0);
  return { module: m, accBits: accW, latency: p.pipeMul ? 2 : 1, flops };
}

/**
 * Cascade mode (weight-stationary cell): psum_out <= psum_in + a*w, a_out <= a_in,
 * w loaded by w_load. `taps` = this PE's row index + 1 (psum_in is absent for taps = 1).
 */
export function buildMacPeCascade(p: MacPeBuildParams): MacPeInfo {
  const accW = accWidth(p.actBits, p.weightBits, p.taps);
  const inW = p.taps > 1 ? accWidth(p.actBits, p.weightBits, p.taps - 1) : 0;
  const m = new Module(`mac_pe_ws_${tag(p)}`, { params: { block: 'mac_pe', mode: 'cascade', ...p }, doc: `MAC PE, weight-stationary cascade cell: s${p.actBits} x s${p.weightBits}, row ${p.taps} of its column, ${accW}-bit partial sum${p.pipeMul ? ', pipelined multiply' : ''}` });
  const aIn = m.input('a_in', p.actBits, { signed: true });
  const aOut = m.output('a_out', p.actBits, { signed: true });
  const wIn = m.input('w_in', p.weightBits, { signed: true });
  const wLoad = m.input('w_load', 1);
  const psumIn = inW > 0 ? m.input('psum_in', inW, { signed: true }) : undefined;
  const psumOut = m.output('psum_out', accW, { signed: true });

  const wq = m.reg('w_q', p.weightBits, { reset: 0, signed: true, doc: 'stationary weight' });
  m.when(wLoad, () => wq.set(wIn));
  const aq = m.reg('a_q', p.actBits, { reset: null, signed: true });
  aq.set(aIn);
  aOut.set(aq);
  let prod: Expr = m.wire('prod', aIn.mul(wq));
  if (p.pipeMul) {
    const r = m.reg('prod_q', prod.width, { reset: null, signed: true, doc: 'product register (pipeline stage)' });
    r.set(prod);
    prod = r;
  }
  const ps = m.reg('psum_q', accW, { reset: null, signed: true });
  ps.set(psumIn ? psumIn.sext(accW).add(prod.sext(accW), accW) : prod.sext(accW));
  psumOut.set(ps);
  const flops = p.actBits + accW + p.weightBits + (p.pipeMul ? p.actBits + p.weightBits : 0);
  return { module: m, accBits: accW, latency: p.pipeMul ? 2 : 1, flops };
}
