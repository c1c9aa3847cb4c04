// Variable-length group encoder of one camera codestream (README.md): per group of four quantized
// coefficients, exactly the bits of model/camera/codec.ts encodeGroup (prefix = rank of n around k
// as zeros + 1, then n magnitude bits MSB first + a sign bit per non-zero value), packed MSB first
// into `wordBits`-bit words with no padding between groups or frames (the model's continuous
// codestream). Code pipeline (4 registers, valid bits travel with the data) -> credit-guarded code
// FIFO -> packer (accumulator + one barrel shift by the fill's low bits) -> credit-guarded word FIFO.
import { cat, defineParams, int, lit, Module, mux, oneOf, type Expr, type Signal } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const camVlcParams = defineParams(
  'cam_vlc',
  {
    coefBits: int({ min: 2, max: 15, default: 13, doc: 'signed coefficient width (stage 1: 12, stage 2: 13); n = bit length <= 15' }),
    wordBits: oneOf([32, 64, 128], { default: 32, doc: 'codestream word width (MSB = first bit)' }),
    codeDepth: int({ min: 6, max: 64, default: 8, doc: 'code FIFO entries; >= 6 sustains one group per clock' }),
    outDepth: int({ min: 3, max: 64, default: 4, doc: 'word FIFO entries; >= 3 sustains one word per clock' }),
  },
);

export type CamVlcConfig = ReturnType<typeof camVlcParams.validate>;

/** Bits of the passive `err` stream, bit 0 first. */
export const CAM_VLC_ERR_BITS = ['mag', 'sof', 'orphan'] as const;

/** Geometry: longest group code, accumulator width, offset bits. */
export function camVlcGeometry(p: Pick<CamVlcConfig, 'coefBits' | 'wordBits'>) {
  const maxLen = 15 + 4 * (p.coefBits + 1);
  const acc = Math.ceil((p.wordBits - 1 + maxLen) / p.wordBits) * p.wordBits;
  return { maxLen, acc, slots: acc / p.wordBits, offBits: ceilLog2(p.wordBits), lenBits: ceilLog2(maxLen + 1), fillBits: ceilLog2(acc + 1) };
}

export interface CamVlcInfo {
  module: Module;
  flops: number;
}

export function buildCamVlc(config: Partial<CamVlcConfig> = {}): CamVlcInfo {
  const p = camVlcParams.validate(config);
  const W = p.coefBits, WB = p.wordBits;
  const g = camVlcGeometry(p);
  const ML = g.maxLen, ACC = g.acc, LB = g.lenBits, FB = g.fillBits, OB = g.offBits;
  const m = new Module(`cam_vlc_w${W}_o${WB}_c${p.codeDepth}_d${p.outDepth}`, {
    params: { block: 'cam_vlc', ...p },
    doc: `group-of-four variable-length encoder, ${W}-bit coefficients -> ${WB}-bit codestream words`,
  });
  const s = streamIn(m, { width: 4 * W });
  const o = streamOut(m, { width: WB, user: false });
  const kIn = m.input('k', 4, { doc: 'prefix centre k (0..15) of this codestream; latched at each frame start (tuser)' });
  const flush = m.input('flush', 1, { doc: '1: the word holding a frame\'s last bit leaves at once, zero-padded (stand-alone frames / end of recording); 0: continuous codestream' });
  const ctx = streamOut(m, { width: 4 + OB + 32, ready: false, last: false, user: false }, 'ctx');
  const err = streamOut(m, { width: CAM_VLC_ERR_BITS.length, ready: false, last: false, user: false }, 'err');

  // ---- input credits: one per code FIFO entry -------------------------------------------------
  const cb = ceilLog2(p.codeDepth + 1);
  const inCred = m.regInit('in_credits', cb, p.codeDepth, { doc: 'code FIFO places not yet promised' });
  const sReady = m.wire('s_ready', inCred.ne(0));
  s.driveReady(sReady);
  const take = m.wire('take', s.valid.and(sReady));

  // ---- stage 0: magnitudes, signs, the frame's k; frame-structure errors ------------------------
  const kHeld = m.regInit('k_held', 4, 0, { doc: 'k latched at the last frame start' });
  const inFrame = m.regInit('in_frame', 1, 0);
  const kNow = m.wire('k_now', mux(s.userSig!, kIn, kHeld));
  m.when(take.and(s.userSig!), () => kHeld.set(kIn));
  m.when(take, () => inFrame.set(s.userSig!.or(inFrame).and(s.lastSig!.not())));
  const v0 = m.regInit('v0', 1, 0);
  const k0 = m.reg('k0', 4, { reset: null });
  const last0 = m.reg('last0', 1, { reset: null });
  const user0 = m.reg('user0', 1, { reset: null });
  const a0: Signal[] = [], sg0: Signal[] = [];
  for (let j = 0; j < 4; j++) {
    const x = s.data.slice(W * j + W - 1, W * j).asSigned();
    a0.push(m.reg(`a0_${j}`, W, { reset: null }));
    sg0.push(m.reg(`sg0_${j}`, 1, { reset: null }));
    m.when(take, () => {
      a0[j].set(mux(x.msb(), x.neg().trunc(W + 1).asUnsigned().trunc(W), x.asUnsigned()));
      sg0[j].set(x.msb());
    });
  }
  v0.set(take);
  m.when(take, () => {
    k0.set(kNow);
    last0.set(s.lastSig!);
    user0.set(s.userSig!);
  });
  const errSof = m.regInit('err_sof', 1, 0);
  const errOrphan = m.regInit('err_orphan', 1, 0);
  errSof.set(take.and(s.userSig!).and(inFrame));
  errOrphan.set(take.and(s.userSig!.not()).and(inFrame.not()));

  // ---- stage 1: n = bit length of max |v| (= of the OR), its rank around k --------------------
  const orAll = m.wire('mag_or', a0.map((x): Expr => x).reduce((x, y) => x.or(y)));
  let nExpr: Expr = lit(0, 4);
  for (let i = 0; i < W; i++) nExpr = mux(orAll.bit(i), lit(i + 1, 4), nExpr);
  const n = m.wire('n', nExpr);
  // rank of n in k, k+1, k-1, k+2, k-2, ... over 0..15:
  //   n >= k, e = n-k: 0 if e = 0, 2e-1 if e <= k, else k+e;  n < k, e = k-n: 2e if e <= 15-k, else 15-k+e
  const up = m.wire('rank_e_up', n.sub(k0, 4));
  const dn = m.wire('rank_e_dn', k0.sub(n, 4));
  const room = m.wire('rank_room', lit(15, 4).sub(k0, 4));
  const rankUp = mux(up.eq(0), lit(0, 5), mux(up.le(k0), up.zext(5).shl(1).trunc(5).sub(1, 5), k0.add(up)));
  const rankDn = mux(dn.le(room), dn.zext(5).shl(1).trunc(5), room.add(dn));
  const rank = m.wire('rank', mux(n.ge(k0), rankUp, rankDn));
  const v1 = m.regInit('v1', 1, 0);
  const n1 = m.reg('n1', 4, { reset: null });
  const plen1 = m.reg('plen1', 4, { reset: null, doc: 'prefix length min(rank + 1, 15)' });
  const pone1 = m.reg('pone1', 1, { reset: null, doc: 'the prefix ends in a 1 (rank < 15)' });
  const k1 = m.reg('k1', 4, { reset: null });
  const last1 = m.reg('last1', 1, { reset: null });
  const user1 = m.reg('user1', 1, { reset: null });
  const a1 = a0.map((_, j) => m.reg(`a1_${j}`, W, { reset: null }));
  const sg1 = a0.map((_, j) => m.reg(`sg1_${j}`, 1, { reset: null }));
  v1.set(v0);
  n1.set(n);
  plen1.set(mux(rank.eq(15), lit(15, 4), rank.trunc(4).add(1, 4)));
  pone1.set(rank.ne(15));
  k1.set(k0);
  last1.set(last0);
  user1.set(user0);
  a0.forEach((x, j) => {
    a1[j].set(x);
    sg1[j].set(sg0[j]);
  });
  const errMag = m.regInit('err_mag', 1, 0);
  errMag.set(v0.and(n.gt(W - 1)));

  // ---- stage 2: per value n magnitude bits + a sign bit if non-zero; merged in pairs ------------
  const SW = W + 1, PW2 = 2 * SW;
  const seg = a1.map((x, j) => {
    const nz = x.orR();
    return { v: m.wire(`seg_${j}`, mux(nz, cat(x, sg1[j]), x.zext(SW))), len: m.wire(`seg_len_${j}`, n1.zext(5).add(nz.zext(5), 5)) };
  });
  const pair = (a: (typeof seg)[number], b: (typeof seg)[number], name: string) =>
    m.wire(name, a.v.zext(PW2).shlVar(b.len).or(b.v.zext(PW2)));
  const v2 = m.regInit('v2', 1, 0);
  const p01 = m.reg('pair01', PW2, { reset: null });
  const p23 = m.reg('pair23', PW2, { reset: null });
  const l01 = m.reg('len01', 6, { reset: null });
  const l23 = m.reg('len23', 6, { reset: null });
  const plen2 = m.reg('plen2', 4, { reset: null });
  const pone2 = m.reg('pone2', 1, { reset: null });
  const k2 = m.reg('k2', 4, { reset: null });
  const last2 = m.reg('last2', 1, { reset: null });
  const user2 = m.reg('user2', 1, { reset: null });
  v2.set(v1);
  p01.set(pair(seg[0], seg[1], 'pair_01'));
  p23.set(pair(seg[2], seg[3], 'pair_23'));
  l01.set(seg[0].len.add(seg[1].len));
  l23.set(seg[2].len.add(seg[3].len));
  plen2.set(plen1);
  pone2.set(pone1);
  k2.set(k1);
  last2.set(last1);
  user2.set(user1);

  // ---- stage 3: body = pair01 . pair23, the prefix's 1 above it; total length ------------------
  const bodyLen = m.wire('body_len', l01.add(l23, 7));
  const body = m.wire('body', p01.zext(ML).shlVar(l23).or(p23.zext(ML)));
  const v3 = m.regInit('v3', 1, 0);
  const code3 = m.reg('code3', ML, { reset: null, doc: 'group code, right-aligned' });
  const len3 = m.reg('len3', LB, { reset: null });
  const k3 = m.reg('k3', 4, { reset: null });
  const last3 = m.reg('last3', 1, { reset: null });
  const user3 = m.reg('user3', 1, { reset: null });
  v3.set(v2);
  code3.set(body.or(mux(pone2, lit(1, ML), lit(0, ML)).shlVar(bodyLen)));
  len3.set(bodyLen.zext(LB).add(plen2.zext(LB), LB));
  k3.set(k2);
  last3.set(last2);
  user3.set(user2);

  // ---- code FIFO: left-aligned code, its length, k; tlast/tuser as sideband --------------------
  const FW = ML + LB + 4;
  const cf = m.instantiate('u_code_fifo', buildFifo({ width: FW, depth: p.codeDepth, last: true, user: true }).module);
  const cfIn = instSink(cf);
  cf.unused('s_axis_tready', 'the input credits guarantee a free entry on every push');
  cfIn.driveValid(v3);
  cfIn.driveData(cat(k3, len3, code3.shlVar(lit(ML, LB).sub(len3, LB))));
  cfIn.driveLast(last3);
  cfIn.driveUser(user3);
  const head = instSource(cf);
  const hCode = head.data.slice(ML - 1, 0);
  const hLen = head.data.slice(ML + LB - 1, ML);
  const hK = head.data.slice(FW - 1, ML + LB);

  // ---- packer: acc holds `fill` bits MSB-first at its top; a code is inserted after them -------
  // A code is taken only when fewer than WB bits remain after this cycle's word leaves, so the
  // insert shift is fill's low bits whether or not a word leaves (no ready -> shift path).
  const ob = ceilLog2(p.outDepth + 1);
  const outCred = m.regInit('out_credits', ob, p.outDepth, { doc: 'word FIFO places not yet promised' });
  const acc = m.regInit('acc', ACC, 0, { doc: 'codestream bits not yet in a word; zero below fill' });
  const fill = m.regInit('fill', FB, 0);
  const mark = m.regInit('mark', g.slots, 0, { doc: 'slot i (i = 0 at the top) holds a frame\'s last bit' });
  const words = m.regInit('words', 32, 0, { doc: 'words emitted since reset (mod 2^32)' });
  const emit = m.wire('emit', fill.ge(WB).and(outCred.ne(0)));
  const canTake = m.wire('can_take', fill.lt(WB).or(emit.and(fill.lt(2 * WB))));
  const pop = m.wire('pop', head.valid.and(canTake));
  head.driveReady(canTake);
  const fillLow = m.wire('fill_low', fill.slice(OB - 1, 0));
  const accShift = m.wire('acc_shift', mux(emit, acc.slice(ACC - WB - 1, 0).zext(ACC).shl(WB).trunc(ACC), acc));
  const ins = m.wire('ins', cat(hCode, lit(0, ACC - ML)).shrVar(fillLow));
  const fillAfter = m.wire('fill_after', mux(emit, fill.sub(WB, FB), fill));
  const end = m.wire('fill_end', fillAfter.add(hLen.zext(FB), FB));
  const endUp = m.wire('fill_end_up', end.add(WB - 1, FB).and(lit(((1 << FB) - 1) & ~(WB - 1), FB)));
  const markShift = m.wire('mark_shift', mux(emit, mark.shr(1).zext(g.slots), mark));
  const lastSlot = m.wire('last_slot', end.sub(1, FB).slice(FB - 1, OB));
  m.when(pop, () => {
    acc.set(accShift.or(ins));
    fill.set(mux(flush.and(head.lastSig!), endUp, end));
    mark.set(mux(head.lastSig!, markShift.or(lit(1, g.slots).shlVar(lastSlot)), markShift));
  }).otherwise(() => {
    acc.set(accShift);
    fill.set(fillAfter);
    mark.set(markShift);
  });
  m.when(emit, () => words.set(words.add(1, 32)));

  // ---- word FIFO ----------------------------------------------------------------------------
  const wf = m.instantiate('u_word_fifo', buildFifo({ width: WB, depth: p.outDepth, last: true, user: false }).module);
  const wIn = instSink(wf);
  wf.unused('s_axis_tready', 'the output credits guarantee a free entry on every push');
  wIn.driveValid(emit);
  wIn.driveData(acc.slice(ACC - 1, ACC - WB));
  wIn.driveLast(mark.bit(0));
  const wOut = instSource(wf);
  connectStream(m, wOut, o);
  const wPop = m.wire('word_pop', wOut.valid.and(o.readySig!));
  m.when(emit.and(wPop.not()), () => outCred.set(outCred.sub(1, ob))).elsewhen(wPop.and(emit.not()), () => outCred.set(outCred.add(1, ob)));
  m.when(take.and(pop.not()), () => inCred.set(inCred.sub(1, cb))).elsewhen(pop.and(take.not()), () => inCred.set(inCred.add(1, cb)));

  // ---- SOF context: where the frame's first bit lies, and its k --------------------------------
  const ctxValid = m.regInit('ctx_valid', 1, 0);
  const ctxData = m.reg('ctx_data', 4 + OB + 32, { reset: null });
  ctxValid.set(pop.and(head.userSig!));
  m.when(pop.and(head.userSig!), () => ctxData.set(cat(hK, fillLow, mux(emit, words.add(1, 32), words))));
  ctx.driveValid(ctxValid);
  ctx.driveData(ctxData);

  const errAny = m.wire('err_any', errMag.or(errSof).or(errOrphan));
  err.driveValid(errAny);
  err.driveData(cat(errOrphan, errSof, errMag));

  const pipe = 1 + 4 + 2 + 4 * (W + 1) + 3 + (1 + 4 + 4 + 1 + 4 + 2 + 4 * (W + 1)) + (1 + 2 * PW2 + 12 + 4 + 1 + 4 + 2) + (1 + ML + LB + 4 + 2) + 1;
  const packer = ob + ACC + FB + g.slots + 32 + 1 + 4 + OB + 32;
  const flops = cb + 4 + pipe + packer + fifoFlops({ width: FW, depth: p.codeDepth, last: true, user: true }) + fifoFlops({ width: WB, depth: p.outDepth, last: true, user: false });
  return { module: m, flops };
}
