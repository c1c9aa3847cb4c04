// Per-subband quantizer of the camera encoder (README.md): exactly model/camera/codec.ts
// quantize, q = sign(x) * ((|x| * mult + 0x7000) >> 16), on every lane of a DWT output beat
// (lane i belongs to band floor(i / cols), as dwt2d emits them). The multipliers are input ports
// (register-programmable), latched at each frame start (tuser) so a frame is coded with one set;
// a multiplier outside [256, 65536] is clamped into it and reported on the passive `err` stream.
// Free-running 3-stage pipeline (|x|, product + rounding, shift + sign) into a credit-guarded FIFO.
import { cat, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut } from '../axis/stream.ts';

import { MULT_MIN, MULT_ONE, QUANT_ROUND } from '../../../model/camera/codec.ts';

// The quantizer's constants are the golden model's (one definition).
export const QUANT_MULT_BITS = 17;
export const QUANT_MULT_MIN = MULT_MIN;
export const QUANT_MULT_ONE = MULT_ONE;
export const QUANT_ROUND_CONST = QUANT_ROUND;

export const camQuantParams = defineParams('cam_quant', {
  bands: int({ min: 1, max: 8, default: 3, doc: 'subbands side by side in a beat (dwt2d: 3 on m_axis_s1, 4 on m_axis_s2)' }),
  cols: int({ min: 1, max: 64, default: 2, doc: 'columns (lanes) per band per beat' }),
  coefBits: int({ min: 2, max: 24, default: 12, doc: 'signed coefficient width in and out (|q| <= |x|)' }),
  fifoDepth: int({ min: 5, max: 64, default: 6, doc: 'output FIFO entries; >= 5 sustains one beat per clock' }),
});

export type CamQuantConfig = ReturnType<typeof camQuantParams.validate>;

export interface CamQuantInfo {
  module: Module;
  flops: number;
}

export function camQuantFlops(p: CamQuantConfig): number {
  const L = p.bands * p.cols, W = p.coefBits;
  const mult = p.bands * QUANT_MULT_BITS + 1 + p.bands; // active multipliers, err beat
  const s0 = L * (W + 1) + 3; // |x|, sign, valid, tlast, tuser
  const s1 = L * (W + 1) + 3; // |q|, sign, valid, tlast, tuser
  return mult + s0 + s1 + creditOutputFlops(L * W, p.fifoDepth);
}

export function buildCamQuant(config: Partial<CamQuantConfig> = {}): CamQuantInfo {
  const p = camQuantParams.validate(config);
  const L = p.bands * p.cols, W = p.coefBits, MB = QUANT_MULT_BITS;
  const m = new Module(`cam_quant_b${p.bands}_c${p.cols}_w${W}_d${p.fifoDepth}`, {
    params: { block: 'cam_quant', ...p },
    doc: `per-subband quantizer, ${p.bands} bands x ${p.cols} lanes of ${W}-bit signed coefficients`,
  });
  const s = streamIn(m, { width: L * W });
  const o = streamOut(m, { width: L * W });
  const mults = Array.from({ length: p.bands }, (_, b) => m.input(`mult_${b}`, MB, { doc: `band ${b} multiplier, 65536/step, valid range [256, 65536] (65536 = identity); latched at tuser` }));
  const err = streamOut(m, { width: p.bands, ready: false, last: false, user: false }, 'err');
  const co = creditOutput(m, s, o, p.fifoDepth);
  const take = co.take;

  // ---- multipliers: latched (clamped) at each frame start; out-of-range ones are reported ------
  const bad = mults.map((x, b) => m.wire(`mult_bad_${b}`, x.lt(QUANT_MULT_MIN).or(x.gt(QUANT_MULT_ONE))));
  const active = mults.map((_, b) => m.regInit(`mult_act_${b}`, MB, QUANT_MULT_ONE, { doc: `band ${b} multiplier of the current frame` }));
  const sof = m.wire('sof_take', take.and(s.userSig!));
  mults.forEach((x, b) =>
    m.when(sof, () => active[b].set(mux(x.lt(QUANT_MULT_MIN), lit(QUANT_MULT_MIN, MB), mux(x.gt(QUANT_MULT_ONE), lit(QUANT_MULT_ONE, MB), x)))),
  );
  const errValid = m.regInit('err_valid', 1, 0);
  const errMask = m.regInit('err_mask', p.bands, 0);
  const anyBad = bad.map((x): Expr => x).reduce((a, b) => a.or(b));
  errValid.set(sof.and(anyBad));
  errMask.set(cat(...[...bad].reverse()));
  err.driveValid(errValid);
  err.driveData(errMask);

  // ---- stage 0: magnitude and sign -------------------------------------------------------------
  const lane = (i: number) => s.data.slice(W * i + W - 1, W * i).asSigned();
  const v0 = m.regInit('v0', 1, 0);
  const last0 = m.reg('last0', 1, { reset: null });
  const user0 = m.reg('user0', 1, { reset: null });
  const mag0: Signal[] = [], neg0: Signal[] = [];
  for (let i = 0; i < L; i++) {
    mag0.push(m.reg(`mag0_${i}`, W, { reset: null, doc: i === 0 ? '|x| (W bits: -2^(W-1) has magnitude 2^(W-1))' : undefined }));
    neg0.push(m.reg(`neg0_${i}`, 1, { reset: null }));
    const x = lane(i);
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

  // ---- stage 1: (|x| * mult + 0x7000) >> 16 (the sum is < 2^(W+16)) with the frame's multiplier --
  // The tuser beat's new multiplier is latched in the same edge that stage 0 captures it, so the
  // product below always uses the multiplier of the beat's own frame.
  const PW = W + MB;
  const v1 = m.regInit('v1', 1, 0);
  const last1 = m.reg('last1', 1, { reset: null });
  const user1 = m.reg('user1', 1, { reset: null });
  const prod1: Signal[] = [], neg1: Signal[] = [];
  for (let i = 0; i < L; i++) {
    prod1.push(m.reg(`qmag1_${i}`, W, { reset: null, doc: i === 0 ? '|q| <= |x| <= 2^(W-1): W bits' : undefined }));
    neg1.push(m.reg(`neg1_${i}`, 1, { reset: null }));
    const prod = m.wire(`prod_${i}`, mag0[i].mul(active[Math.floor(i / p.cols)], PW).add(QUANT_ROUND_CONST, PW));
    m.unused(prod.slice(15, 0), 'fraction below the step');
    m.unused(prod.bit(PW - 1), 'always 0: the rounded product is below 2^(W+16)');
    prod1[i].set(prod.slice(PW - 2, 16));
    neg1[i].set(neg0[i]);
  }
  v1.set(v0);
  last1.set(last0);
  user1.set(user0);

  // ---- stage 2: the sign, into the FIFO -----------------------------------------------
  const q = Array.from({ length: L }, (_, i) => {
    const mag = prod1[i];
    return m.wire(`q_${i}`, mux(neg1[i], mag.neg().trunc(W).asUnsigned(), mag));
  });
  co.push(v1, cat(...[...q].reverse()), last1, user1);
  return { module: m, flops: camQuantFlops(p) };
}
