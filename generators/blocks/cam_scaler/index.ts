// Bilinear scaler/debayer of the camera HDMI preview (README.md), exactly
// model/camera/preview.ts renderRgb10 for one output pixel per beat: the block keeps the
// viewport position from tuser/tlast, derives the 16-bit normalised coordinates incrementally
// (no divider), the per-colour 8-bit weights with one 16x16 (low half) multiplier per axis, and
// blends the 2x2 neighbourhood of each colour that the upstream fetcher sends with the pixel.
// Eight register stages with valid bits travel with the data into a credit-guarded output FIFO
// (no global stall net); errors are one-cycle pulses on a passive `err` stream.
import { cat, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { SCALER_ERR_BITS, weightConstants } from './model.ts';

export const camScalerParams = defineParams(
  'cam_scaler',
  {
    sampleBits: int({ min: 2, max: 24, default: 13, doc: 'signed source sample width (samples are clamped to 0..1023)' }),
    sizeBits: int({ min: 3, max: 16, default: 12, doc: 'width of the viewport / plane size and position registers' }),
    planeBits: int({ min: 1, max: 16, default: 12, doc: 'width of the source plane size registers pw, ph' }),
    outW: int({ min: 2, max: 65535, default: 1920, doc: 'output frame width (viewport must fit)' }),
    outH: int({ min: 2, max: 65535, default: 1080, doc: 'output frame height' }),
    fifoDepth: int({ min: 2, max: 64, default: 10, doc: 'output FIFO entries; >= 10 sustains one pixel per clock' }),
  },
  [(p) => (p.outW < 2 ** p.sizeBits && p.outH < 2 ** p.sizeBits ? undefined : `outW = ${p.outW} / outH = ${p.outH} must be < 2^sizeBits = ${2 ** p.sizeBits}`)],
);

export type CamScalerConfig = ReturnType<typeof camScalerParams.validate>;

export interface CamScalerInfo {
  module: Module;
  flops: number;
}

export function camScalerFlops(p: CamScalerConfig): number {
  const sb = p.sampleBits, zb = p.sizeBits, ctl = 3; // valid, last, user per stage
  // rx, ry, accx, accy, row_start, cfg_bad, k0, k1, credits, err pulses
  const state = 2 * zb + 2 * 35 + 1 + 1 + 32 + ceilLog2(p.fifoDepth + 1) + 3;
  const s1 = 16 * sb + 32 + ctl, s2 = 160 + 32 + ctl, s3 = 4 * 42 + 32 + ctl, s4 = 8 * 18 + 16 + ctl, s5 = 4 * (18 + 20) + 16 + ctl, s6 = 4 * (18 + 18 + 18) + ctl, s7 = 4 * 25 + ctl, s8 = 40 + ctl;
  return state + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + fifoFlops({ width: 30, depth: p.fifoDepth, last: true, user: true });
}

/**
 * Registers `k0`, `k1` holding the weight constants K = (128 - 32768 - delta) mod 2^16 of the two
 * axis classes (model.ts weightConstants), selected by the `subsampled` and `level` ports.
 */
export function weightConstantRegs(m: Module, subsampled: Expr, level: Expr): [Signal, Signal] {
  const kTab = ([false, true] as const).flatMap((sub) => ([0, 1] as const).map((lv) => weightConstants(sub, lv)));
  const kSel = (cls: 0 | 1): Expr => {
    const v = kTab.map((k) => lit(k[cls], 16));
    return mux(subsampled, mux(level, v[3], v[2]), mux(level, v[1], v[0]));
  };
  const k = [m.reg('k0', 16, { reset: null }), m.reg('k1', 16, { reset: null })] as [Signal, Signal];
  k[0].set(kSel(0));
  k[1].set(kSel(1));
  return k;
}

export function buildCamScaler(config: Partial<CamScalerConfig> = {}): CamScalerInfo {
  const p = camScalerParams.validate(config);
  const sb = p.sampleBits, zb = p.sizeBits, D = p.fifoDepth;
  const m = new Module(`cam_scaler_s${sb}_z${zb}_p${p.planeBits}_${p.outW}x${p.outH}_d${D}`, {
    params: { block: 'cam_scaler', ...p },
    doc: `preview bilinear scaler/debayer: 4 colours x 2x2 ${sb}-bit samples per pixel in, 10-bit RGB out, viewport in a ${p.outW}x${p.outH} frame`,
  });
  const s = streamIn(m, { width: 16 * sb });
  const o = streamOut(m, { width: 30 });
  const sx = m.input('sx', 32, { doc: 'round(2^32 / vw): normalised step of the viewport columns' });
  const sy = m.input('sy', 32, { doc: 'round(2^32 / vh)' });
  const vx = m.input('vx', zb, { doc: 'viewport left column in the output frame (checked only)' });
  const vy = m.input('vy', zb, { doc: 'viewport top row (checked only)' });
  const vw = m.input('vw', zb, { doc: 'viewport width (row length check)' });
  const vh = m.input('vh', zb, { doc: 'viewport height (frame length check)' });
  const pw = m.input('pw', p.planeBits, { doc: 'source plane width' });
  const ph = m.input('ph', p.planeBits, { doc: 'source plane height' });
  const subsampled = m.input('subsampled', 1, { doc: '1: subsampled-mode (asymmetric) colour centres' });
  const level = m.input('level', 1, { doc: '1: planes are LL1 (centres shifted 1/4 LL1 pixel), 0: Bayer fields' });

  // ---- configuration check, registered (static ports: keeps the compare chain off the pixel path)
  const cfgBad = m.reg('cfg_bad', 1, { reset: null, doc: 'viewport or plane size impossible' });
  cfgBad.set(
    vw.lt(2).or(vh.lt(2)).or(vx.add(vw).gt(p.outW)).or(vy.add(vh).gt(p.outH)).or(pw.eq(0)).or(ph.eq(0)),
  );
  const [k0, k1] = weightConstantRegs(m, subsampled, level);

  // ---- credits: one per pixel, taken at input, returned when its beat leaves the FIFO --------------
  const cb = ceilLog2(D + 1);
  const credits = m.regInit('credits', cb, D, { doc: 'FIFO places not yet promised to a pixel' });
  const ready = m.wire('s_ready', credits.ne(0));
  s.driveReady(ready);
  const take = m.wire('take', s.valid.and(ready));
  const last = s.lastSig!, user = s.userSig!;

  // ---- position counters (checks) and incremental normalised coordinates ------------------------
  const rx = m.regInit('rx', zb, 0);
  const ry = m.regInit('ry', zb, 0);
  const cx = m.wire('cx', mux(user, lit(0, zb), rx));
  const cy = m.wire('cy', mux(user, lit(0, zb), ry));
  const rowEnd = m.wire('row_end', cx.eq(vw.sub(1, zb)));
  const errCfg = m.regInit('err_cfg_r', 1, 0);
  const errRow = m.regInit('err_row_r', 1, 0);
  const errSof = m.regInit('err_sof_r', 1, 0);
  errCfg.set(take.and(user).and(cfgBad));
  errRow.set(take.and(last.xor(rowEnd)));
  errSof.set(take.and(user.xor(rx.eq(0).and(ry.eq(0)))));
  // acc = (2 r + 1) s + 2^16 (34 bits) kept as two 17-bit halves, the low half's carry held for
  // one pixel (carry-save): acc = hi 2^17 + lo + c 2^17 (mod 2^34), so no carry chain is longer
  // than 17 bits; vn = min(65535, acc >> 17) = saturate((hi + c) mod 2^17).
  interface Acc {
    lo: Expr;
    hi: Expr;
    c: Expr;
  }
  const accReg = (n: string): { lo: Signal; hi: Signal; c: Signal } => ({ lo: m.reg(`${n}_lo`, 17, { reset: null }), hi: m.reg(`${n}_hi`, 17, { reset: null }), c: m.reg(`${n}_c`, 1, { reset: null }) });
  // s + 2^16: bit 16 of the low half flips, and its carry out is bit 16 of s.
  const firstOf = (v: Signal): Acc => ({ lo: cat(v.bit(16).not(), v.slice(15, 0)), hi: v.slice(31, 17).zext(17), c: v.bit(16) });
  const pick = (sel: Expr, a: Acc, b: Acc, n: string): Acc => ({ lo: m.wire(`${n}_lo`, mux(sel, a.lo, b.lo)), hi: m.wire(`${n}_hi`, mux(sel, a.hi, b.hi)), c: m.wire(`${n}_c`, mux(sel, a.c, b.c)) });
  // acc + 2 s: the low half adds {s[15:0], 0}, the high half s[31:16] plus the held carry.
  const step = (cur: Acc, v: Signal): Acc => {
    const lo = cur.lo.zext(18).add(cat(v.slice(15, 0), lit(0, 1)).zext(18), 18);
    return { lo: lo.slice(16, 0), c: lo.bit(17), hi: cur.hi.add(v.slice(31, 16).zext(17), 17).add(cur.c.zext(17), 17) };
  };
  const accx = accReg('accx');
  const accy = accReg('accy');
  const rowStart = m.regInit('row_start', 1, 1, { doc: 'the next pixel starts a viewport row' });
  const curx = pick(rowStart.or(user), firstOf(sx), accx, 'curx');
  const cury = pick(user, firstOf(sy), accy, 'cury');
  const setAcc = (r: Acc & { lo: Signal; hi: Signal; c: Signal }, v: Acc): void => {
    r.lo.set(v.lo);
    r.hi.set(v.hi);
    r.c.set(v.c);
  };
  const nx = step(curx, sx), ny = step(cury, sy);
  m.when(take, () => {
    rx.set(mux(last, lit(0, zb), cx.add(1, zb)));
    ry.set(mux(last, mux(cy.eq(vh.sub(1, zb)), lit(0, zb), cy.add(1, zb)), cy));
    setAcc(accx, nx);
    setAcc(accy, { lo: mux(last, ny.lo, cury.lo), hi: mux(last, ny.hi, cury.hi), c: mux(last, ny.c, cury.c) });
    rowStart.set(last);
  });
  const vn = (a: Acc): Expr => {
    const t = a.hi.add(a.c.zext(17), 17);
    return mux(t.bit(16), lit(65535, 16), t.slice(15, 0));
  };

  // ---- stage 1: coordinates and raw samples ------------------------------------------------------
  interface Ctl {
    v: Signal;
    last: Signal;
    user: Signal;
  }
  const ctl = (j: number, prev: { v: Expr; last: Expr; user: Expr }): Ctl => {
    const c = { v: m.regInit(`v${j}`, 1, 0), last: m.reg(`last${j}`, 1, { reset: null }), user: m.reg(`user${j}`, 1, { reset: null }) };
    c.v.set(prev.v);
    c.last.set(prev.last);
    c.user.set(prev.user);
    return c;
  };
  const c1 = ctl(1, { v: take, last, user });
  const vnx1 = m.reg('vnx1', 16, { reset: null });
  const vny1 = m.reg('vny1', 16, { reset: null });
  vnx1.set(vn(curx));
  vny1.set(vn(cury));
  const raw1 = m.reg('raw1', 16 * sb, { reset: null, doc: '4 colours x 2x2 source samples' });
  raw1.set(s.data);

  // ---- stage 2: low 16 bits of vn * size; samples clamped to 0..1023 ----------------------------
  const c2 = ctl(2, c1);
  const px2 = m.reg('px2', 16, { reset: null });
  const py2 = m.reg('py2', 16, { reset: null });
  px2.set(vnx1.mul(pw.resize(16), 16));
  py2.set(vny1.mul(ph.resize(16), 16));
  const clamp10 = (e: Expr): Expr => {
    const v = e.asSigned();
    if (sb <= 11) return mux(v.msb(), lit(0, 10), v.asUnsigned().resize(10)); // positive values < 1024
    return mux(v.msb(), lit(0, 10), mux(v.gt(lit(1023, sb, { signed: true })), lit(1023, 10), v.asUnsigned().trunc(10)));
  };
  const smp2 = m.reg('smp2', 160, { reset: null, doc: 'clamped samples, lane 4c+k' });
  smp2.set(cat(...Array.from({ length: 16 }, (_, i) => clamp10(raw1.slice(sb * i + sb - 1, sb * i))).reverse()));

  // ---- stage 3: 8-bit weights = bits [15:8] of (vn * size + K) ----------------------------------
  const c3 = ctl(3, c2);
  const fx3 = [m.reg('fx3_0', 8, { reset: null }), m.reg('fx3_1', 8, { reset: null })];
  const fy3 = [m.reg('fy3_0', 8, { reset: null }), m.reg('fy3_1', 8, { reset: null })];
  [k0, k1].forEach((k, i) => {
    fx3[i].set(px2.add(k, 16).slice(15, 8));
    fy3[i].set(py2.add(k, 16).slice(15, 8));
  });
  // Row differences b - a, d - c here (short ripple next to the weight add): no pre-subtraction
  // in front of the stage-4 multipliers.
  const lane2 = (c: number, k: number): Expr => smp2.slice(10 * (4 * c + k) + 9, 10 * (4 * c + k));
  const diff = (a: Expr, b: Expr): Expr => b.zext(11).asSigned().sub(a.zext(11).asSigned(), 11);
  const a3: Signal[] = [], c3s: Signal[] = [], da3: Signal[] = [], dc3: Signal[] = [];
  for (let c = 0; c < 4; c++) {
    a3.push(m.reg(`a3_${c}`, 10, { reset: null }));
    c3s.push(m.reg(`c3_${c}`, 10, { reset: null }));
    da3.push(m.reg(`da3_${c}`, 11, { reset: null, signed: true }));
    dc3.push(m.reg(`dc3_${c}`, 11, { reset: null, signed: true }));
    a3[c].set(lane2(c, 0));
    c3s[c].set(lane2(c, 2));
    da3[c].set(diff(lane2(c, 0), lane2(c, 1)));
    dc3[c].set(diff(lane2(c, 2), lane2(c, 3)));
  }

  // ---- stage 4: horizontal blend top = 256 a + (b - a) fx (18 bits, >= 0) -----------------------
  const c4 = ctl(4, c3);
  const hblend = (a: Expr, d: Expr, f: Expr): Expr => {
    const prod = d.mul(f.zext(9).asSigned(), 19);
    return a.zext(19).asSigned().shl(8).trunc(19).add(prod, 19).asUnsigned().trunc(18);
  };
  const top4: Signal[] = [], bot4: Signal[] = [];
  for (let c = 0; c < 4; c++) {
    top4.push(m.reg(`top4_${c}`, 18, { reset: null }));
    bot4.push(m.reg(`bot4_${c}`, 18, { reset: null }));
    top4[c].set(hblend(a3[c], da3[c], fx3[c & 1]));
    bot4[c].set(hblend(c3s[c], dc3[c], fx3[c & 1]));
  }
  const fy4 = [m.reg('fy4_0', 8, { reset: null }), m.reg('fy4_1', 8, { reset: null })];
  fy4[0].set(fy3[0]);
  fy4[1].set(fy3[1]);

  // ---- stage 5: vertical difference D = bot - top as two 10-bit halves (short borrow chains):
  // D = 512 DH + DL, DH = bot[17:9] - top[17:9], DL = bot[8:0] - top[8:0]; top kept.
  const c5 = ctl(5, c4);
  const top5: Signal[] = [], dl5: Signal[] = [], dh5: Signal[] = [];
  const half = (x: Expr, hi: number, lo: number): Expr => x.slice(hi, lo).zext(10).asSigned();
  for (let c = 0; c < 4; c++) {
    top5.push(m.reg(`top5_${c}`, 18, { reset: null }));
    dl5.push(m.reg(`dl5_${c}`, 10, { reset: null, signed: true }));
    dh5.push(m.reg(`dh5_${c}`, 10, { reset: null, signed: true }));
    top5[c].set(top4[c]);
    dl5[c].set(half(bot4[c], 8, 0).sub(half(top4[c], 8, 0), 10));
    dh5[c].set(half(bot4[c], 17, 9).sub(half(top4[c], 17, 9), 10));
  }
  const fy5 = [m.reg('fy5_0', 8, { reset: null }), m.reg('fy5_1', 8, { reset: null })];
  fy5[0].set(fy4[0]);
  fy5[1].set(fy4[1]);

  // ---- stage 6: D fy = 512 (DH fy) + DL fy: two 10x8 products ------------------------------------
  const c6 = ctl(6, c5);
  const top6: Signal[] = [], pl6: Signal[] = [], ph6: Signal[] = [];
  for (let c = 0; c < 4; c++) {
    top6.push(m.reg(`top6_${c}`, 18, { reset: null }));
    pl6.push(m.reg(`pl6_${c}`, 18, { reset: null, signed: true }));
    ph6.push(m.reg(`ph6_${c}`, 18, { reset: null, signed: true }));
    top6[c].set(top5[c]);
    const fy = fy5[c >> 1].zext(9).asSigned();
    pl6[c].set(dl5[c].mul(fy, 18));
    ph6[c].set(dh5[c].mul(fy, 18));
  }

  // ---- stages 7, 8: val = (256 top + 512 PH + PL + 32768) >> 16, in two halves: x = 2^16 (x >> 16)
  // + (x mod 2^16) per term, the low 16 bits summed first (their carry, 0..3, kept), then the highs.
  const c7 = ctl(7, c6);
  const cy7: Signal[] = [], th7: Signal[] = [], hh7: Signal[] = [], lh7: Signal[] = [];
  for (let c = 0; c < 4; c++) {
    cy7.push(m.reg(`cy7_${c}`, 2, { reset: null }));
    th7.push(m.reg(`th7_${c}`, 10, { reset: null }));
    hh7.push(m.reg(`hh7_${c}`, 11, { reset: null, signed: true }));
    lh7.push(m.reg(`lh7_${c}`, 2, { reset: null, signed: true }));
    const low = cat(top6[c].slice(7, 0), lit(0, 8)).zext(18)
      .add(cat(ph6[c].slice(6, 0), lit(0, 9)).zext(18), 18)
      .add(pl6[c].slice(15, 0).zext(18), 18)
      .add(32768, 18);
    cy7[c].set(low.slice(17, 16));
    th7[c].set(top6[c].slice(17, 8));
    hh7[c].set(ph6[c].slice(17, 7).asSigned());
    lh7[c].set(pl6[c].slice(17, 16).asSigned());
  }
  const c8 = ctl(8, c7);
  const val6: Signal[] = [];
  for (let c = 0; c < 4; c++) {
    val6.push(m.reg(`val8_${c}`, 10, { reset: null }));
    const sum = th7[c].zext(12).asSigned().add(hh7[c].sext(12), 12).add(lh7[c].sext(12), 12).add(cy7[c].zext(12).asSigned(), 12);
    val6[c].set(sum.asUnsigned().slice(9, 0));
  }
  const g = val6[1].add(val6[2], 11).add(1, 11).slice(10, 1);

  // ---- output FIFO ---------------------------------------------------------------------------------
  const fifo = m.instantiate('u_out_fifo', buildFifo({ width: 30, depth: D, last: true, user: true }).module);
  const sink = instSink(fifo);
  sink.driveValid(c8.v);
  sink.driveData(cat(val6[3], g, val6[0]));
  sink.driveLast(c8.last);
  sink.driveUser(c8.user);
  fifo.unused('s_axis_tready', 'the credit counter guarantees a free entry on every push');
  const src = instSource(fifo);
  connectStream(m, src, o);
  const pop = m.wire('pop', src.valid.and(o.readySig!));
  m.when(take.and(pop.not()), () => credits.set(credits.sub(1, cb))).elsewhen(pop.and(take.not()), () => credits.set(credits.add(1, cb)));

  const err = streamOut(m, { width: SCALER_ERR_BITS.length, ready: false, last: false, user: false }, 'err');
  err.driveData(cat(errSof, errRow, errCfg));
  err.driveValid(errCfg.or(errRow).or(errSof));
  return { module: m, flops: camScalerFlops(p) };
}
