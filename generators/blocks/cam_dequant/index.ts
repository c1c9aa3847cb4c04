// Per-subband inverse quantizer of the camera decoder (README.md): exactly model/camera/codec.ts
// dequantize, x' = sign(q) * min(2^(W-1) - 1, (|q| * inv + 128) >> 8), on every lane of a beat
// (lane i belongs to band floor(i / cols), the dwt2d / idwt2d layout). `inv_<b>` is the decoder
// multiplier register round(2^24 / mult) (Q8, 256 = identity); `focus` is the focus-assist gain in
// sixteenths: high-pass bands use (inv * focus + 8) >> 4, as decode.ts does (16 = off). Both are
// latched at each frame start (tuser); out-of-range values are clamped and reported on `err`.
// Free-running 3-stage pipeline (|q|, product + rounding + saturation, sign) into a credit FIFO.
import { bool, cat, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';
import { MULT_MIN, MULT_ONE } from '../../../model/camera/codec.ts';

export const DEQUANT_INV_BITS = 17;
/** The inverse register of a multiplier in [256, 65536] lies in [256, 65536] too. */
export const DEQUANT_INV_MIN = MULT_MIN;
export const DEQUANT_INV_MAX = MULT_ONE;
export const FOCUS_BITS = 7;
export const FOCUS_MIN = 16;
export const FOCUS_MAX = 64;
const ACT_BITS = 19; // (65536 * 64 + 8) >> 4 = 2^18

export const camDequantParams = defineParams('cam_dequant', {
  bands: int({ min: 1, max: 8, default: 3, doc: 'subbands side by side in a beat (idwt2d: 3 on s_axis_s1, 4 on s_axis_s2)' }),
  cols: int({ min: 1, max: 64, default: 2, doc: 'columns (lanes) per band per beat' }),
  coefBits: int({ min: 2, max: 24, default: 12, doc: 'signed coefficient width in and out (outputs saturate)' }),
  lowPass0: bool({ default: false, doc: 'band 0 is the low-pass LL2 (no focus gain); all other bands are high-pass' }),
  fifoDepth: int({ min: 5, max: 64, default: 6, doc: 'output FIFO entries; >= 5 sustains one beat per clock' }),
});

export type CamDequantConfig = ReturnType<typeof camDequantParams.validate>;

export function camDequantFlops(p: CamDequantConfig): number {
  const L = p.bands * p.cols, W = p.coefBits;
  const regs = p.bands * ACT_BITS + 1 + p.bands + 1;
  const s0 = L * (W + 1) + 3;
  const s1 = L * W + 3;
  return regs + s0 + s1 + creditOutputFlops(L * W, p.fifoDepth);
}

export function buildCamDequant(config: Partial<CamDequantConfig> = {}): { module: Module; flops: number } {
  const p = camDequantParams.validate(config);
  const L = p.bands * p.cols, W = p.coefBits, IB = DEQUANT_INV_BITS;
  const m = new Module(`cam_dequant_b${p.bands}_c${p.cols}_w${W}${p.lowPass0 ? '_ll' : ''}_d${p.fifoDepth}`, {
    params: { block: 'cam_dequant', ...p },
    doc: `per-subband inverse quantizer with focus assist, ${p.bands} bands x ${p.cols} lanes of ${W}-bit signed coefficients`,
  });
  const s = streamIn(m, { width: L * W });
  const o = streamOut(m, { width: L * W });
  const invs = Array.from({ length: p.bands }, (_, b) => m.input(`inv_${b}`, IB, { doc: `band ${b} inverse register round(2^24/mult), [256, 65536] (256 = identity); latched at tuser` }));
  const focus = m.input('focus', FOCUS_BITS, { doc: 'focus-assist gain of the high-pass bands in sixteenths, [16, 64] (16 = off); latched at tuser' });
  // err beat at a frame start: bit b = band b's inverse register out of range, bit `bands` = focus.
  const err = streamOut(m, { width: p.bands + 1, ready: false, last: false, user: false }, 'err');
  const co = creditOutput(m, s, o, p.fifoDepth);
  const take = co.take;

  // ---- registers of the frame: clamped inverse, times the focus gain for high-pass bands ------
  const clampTo = (x: Expr, lo: number, hi: number, w: number) => mux(x.lt(lo), lit(lo, w), mux(x.gt(hi), lit(hi, w), x));
  const gain = m.wire('focus_clamped', clampTo(focus, FOCUS_MIN, FOCUS_MAX, FOCUS_BITS));
  const sof = m.wire('sof_take', take.and(s.userSig!));
  const bad = invs.map((x, b) => m.wire(`inv_bad_${b}`, x.lt(DEQUANT_INV_MIN).or(x.gt(DEQUANT_INV_MAX))));
  const focusBad = m.wire('focus_bad', focus.lt(FOCUS_MIN).or(focus.gt(FOCUS_MAX)));
  const active = invs.map((x, b) => {
    const r = m.regInit(`inv_act_${b}`, ACT_BITS, 256, { doc: `band ${b} effective inverse of the current frame` });
    const inv = m.wire(`inv_clamped_${b}`, clampTo(x, DEQUANT_INV_MIN, DEQUANT_INV_MAX, IB));
    const hp = !(p.lowPass0 && b === 0);
    let boosted: Expr = inv.zext(ACT_BITS);
    if (hp) {
      const prod = m.wire(`inv_gain_${b}`, inv.mul(gain, ACT_BITS + 4).add(8, ACT_BITS + 4));
      m.unused(prod.slice(3, 0), 'below the sixteenth');
      boosted = prod.slice(ACT_BITS + 3, 4);
    }
    m.when(sof, () => r.set(boosted));
    return r;
  });
  const errValid = m.regInit('err_valid', 1, 0);
  const errMask = m.regInit('err_mask', p.bands + 1, 0);
  errValid.set(sof.and([...bad, focusBad].reduce<Expr>((a, b) => a.or(b), lit(0, 1))));
  errMask.set(cat(focusBad, ...[...bad].reverse()));
  err.driveValid(errValid);
  err.driveData(errMask);

  // ---- stage 0: magnitude and sign ---------------------------------------------------------
  const v0 = m.regInit('v0', 1, 0);
  const last0 = m.reg('last0', 1, { reset: null });
  const user0 = m.reg('user0', 1, { reset: null });
  const mag0: Signal[] = [], neg0: Signal[] = [];
  for (let i = 0; i < L; i++) {
    mag0.push(m.reg(`mag0_${i}`, W, { reset: null }));
    neg0.push(m.reg(`neg0_${i}`, 1, { reset: null }));
    const x = s.data.slice(W * i + W - 1, W * i).asSigned();
    m.when(take, () => {
      mag0[i].set(mux(x.msb(), x.neg().trunc(W + 1).asUnsigned().trunc(W), x.asUnsigned()));
      neg0[i].set(x.msb());
    });
  }
  v0.set(take);
  m.when(take, () => {
    last0.set(s.lastSig!);
    user0.set(s.userSig!);
  });

  // ---- stage 1: (|q| * inv + 128) >> 8, saturated to 2^(W-1) - 1 (the tuser beat's registers
  // are latched in the edge that stage 0 captures it, so each beat uses its own frame's) ---------
  const PW = W + ACT_BITS;
  const lim = 2 ** (W - 1) - 1;
  const v1 = m.regInit('v1', 1, 0);
  const last1 = m.reg('last1', 1, { reset: null });
  const user1 = m.reg('user1', 1, { reset: null });
  const mag1: Signal[] = [], neg1: Signal[] = [];
  for (let i = 0; i < L; i++) {
    mag1.push(m.reg(`mag1_${i}`, W - 1, { reset: null }));
    neg1.push(m.reg(`neg1_${i}`, 1, { reset: null }));
    const prod = m.wire(`prod_${i}`, mag0[i].mul(active[Math.floor(i / p.cols)], PW).add(128, PW));
    m.unused(prod.slice(7, 0), 'below the Q8 point');
    const v = prod.slice(PW - 1, 8);
    mag1[i].set(mux(v.gt(lim), lit(lim, W - 1), v.trunc(W - 1)));
    neg1[i].set(neg0[i]);
  }
  v1.set(v0);
  last1.set(last0);
  user1.set(user0);

  // ---- stage 2: the sign, into the FIFO --------------------------------------------------------
  const out = Array.from({ length: L }, (_, i) => m.wire(`x_${i}`, mux(neg1[i], mag1[i].neg().trunc(W).asUnsigned(), mag1[i].zext(W))));
  co.push(v1, cat(...[...out].reverse()), last1, user1);
  return { module: m, flops: camDequantFlops(p) };
}
