// Variable-length group decoder of one camera codestream (README.md), the inverse of cam_vlc:
// codestream words (MSB first, as cam_vlc packs them) -> groups of four quantized coefficients,
// exactly model/camera/codec.ts decodeGroup. One group per clock while the words keep up: the
// whole group (prefix, n, four magnitudes + signs) is parsed in one clock from the top of a bit
// buffer (with the prefix rank registered one clock ahead) and the buffer shifts by the code
// length. Frames are counted in groups (`groups` input) and checked against the input's tlast
// (the word holding a frame's last bit); a truncated frame, an impossible code or a frame that ends before its tlast word raise `err`
// and the decoder finishes the frame with zero groups and resynchronises at the next tlast word,
// so the output framing is always whole frames and nothing waits for bits that cannot come.
import { cat, defineParams, int, lit, Module, mux, oneOf, type Expr } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';

export const camVldParams = defineParams('cam_vld', {
  coefBits: int({ min: 2, max: 15, default: 13, doc: 'signed coefficient width (stage 1: 12, stage 2: 13); legal codes have n <= coefBits-1' }),
  wordBits: oneOf([32, 64, 128], { default: 32, doc: 'codestream word width (MSB = first bit)' }),
  groupsBits: int({ min: 1, max: 32, default: 24, doc: 'width of the `groups` input (groups per frame)' }),
  outDepth: int({ min: 2, max: 64, default: 3, doc: 'group FIFO entries (>= 2 sustains one group per clock)' }),
});

export type CamVldConfig = ReturnType<typeof camVldParams.validate>;

/** Bits of the passive `err` stream, bit 0 first. */
export const CAM_VLD_ERR_BITS = ['trunc', 'code', 'long'] as const;

/** Geometry: longest legal code, bit buffer, counter widths. */
export function camVldGeometry(p: Pick<CamVldConfig, 'coefBits' | 'wordBits'>) {
  const maxLen = 15 + 4 * p.coefBits; // n <= coefBits-1: n magnitude bits + a sign per value
  const buf = maxLen - 1 + p.wordBits; // a word is taken while fewer than maxLen bits wait
  return { maxLen, buf, fillBits: ceilLog2(buf + 1), posBits: ceilLog2(maxLen + 1) };
}

export interface CamVldInfo {
  module: Module;
  flops: number;
}

/**
 * n at prefix rank r around k (the inverse of the order k, k+1, k-1, k+2, ...): with
 * m = min(k, 15-k), ranks up to 2m alternate (odd: k + (r+1)/2, even: k - r/2); beyond that only
 * one side is left: n = r when k <= 7, n = 15 - r when k >= 8.
 */
function nOfRank(m: Module, k: Expr, r: Expr): Expr {
  const kLow = m.wire('k_low', k.lt(8));
  const mm = m.wire('rank_m', mux(kLow, k, lit(15, 4).sub(k, 4)));
  const alt = m.wire('rank_alt', r.le(mm.zext(5).shl(1)));
  const half = m.wire('rank_half', r.shr(1)); // r/2 (even r), (r-1)/2 (odd r)
  const odd = r.bit(0);
  const altN = mux(odd, k.add(half.trunc(4).add(1, 4), 4), k.sub(half.trunc(4), 4));
  const tailN = mux(kLow, r.trunc(4), lit(15, 4).sub(r.trunc(4), 4));
  return m.wire('n', mux(alt, altN, tailN));
}

/** Leading zeros of a 15-bit value (15 when zero) as a balanced tree: a 1 appended below makes 16 bits that are never all zero. */
function leadingZeros15(x: Expr): Expr {
  // Per part: [all zero, count of leading zeros within the part].
  const tree = (v: Expr): [Expr, Expr] => {
    if (v.width === 2) return [v.orR().not(), v.bit(1).not()];
    const h = v.width / 2;
    const [zh, ch] = tree(v.slice(v.width - 1, h));
    const [zl, cl] = tree(v.slice(h - 1, 0));
    return [zh.and(zl), cat(zh, mux(zh, cl, ch))];
  };
  return tree(cat(x, lit(1, 1)))[1].zext(5);
}

export function buildCamVld(config: Partial<CamVldConfig> = {}): CamVldInfo {
  const p = camVldParams.validate(config);
  const W = p.coefBits, WB = p.wordBits, GB = p.groupsBits;
  const g = camVldGeometry(p);
  const ML = g.maxLen, BUF = g.buf, FB = g.fillBits, PB = g.posBits;
  const m = new Module(`cam_vld_w${W}_o${WB}_g${GB}_d${p.outDepth}`, {
    params: { block: 'cam_vld', ...p },
    doc: `group-of-four variable-length decoder, ${WB}-bit codestream words -> groups of four ${W}-bit coefficients`,
  });
  const s = streamIn(m, { width: WB, user: false });
  const o = streamOut(m, { width: 4 * W });
  const kIn = m.input('k', 4, { doc: 'prefix centre k of this codestream; latched at each frame\'s first group' });
  const groupsIn = m.input('groups', GB, { doc: 'groups per frame (>= 1); latched at each frame\'s first group' });
  const flush = m.input('flush', 1, { doc: '1: frames start word-aligned (cam_vlc flush), the rest of a frame\'s tlast word is padding; 0: continuous codestream' });
  const err = streamOut(m, { width: CAM_VLD_ERR_BITS.length, ready: false, last: false, user: false }, 'err');

  const buf = m.regInit('bits_q', BUF, 0, { doc: 'codestream bits MSB-first at the top, `fill` of them valid, zero below' });
  const fill = m.regInit('fill', FB, 0);
  const endPend = m.regInit('end_pend', 1, 0, { doc: 'the current frame\'s tlast word is in buf (then buf ends with it: no word is taken after it)' });
  const drop = m.regInit('drop', 1, 0, { doc: 'after an error: discard words up to and including the next tlast word' });
  const zero = m.regInit('zero', 1, 0, { doc: 'after an error: emit zero groups until the frame is complete' });
  const inFrame = m.regInit('in_frame', 1, 0, { doc: 'some group of the current frame has been emitted' });
  const left = m.regInit('left', GB, 0, { doc: 'groups still to emit in the current frame' });
  const kHeld = m.regInit('k_held', 4, 0);

  // ---- word input -------------------------------------------------------------------------
  const sReady = m.wire('s_ready', drop.or(endPend.not().and(fill.le(BUF - WB))));
  s.driveReady(sReady);
  const accept = m.wire('accept', s.valid.and(sReady));
  const store = m.wire('store', accept.and(drop.not()));
  const merged = m.wire('merged', mux(store, buf.or(cat(s.data, lit(0, BUF - WB)).shrVar(fill)), buf));

  // ---- parse one group from the top of buf --------------------------------------------------
  // The group-per-clock loop is buf -> length -> shifted buf. To keep it short the prefix rank
  // of the buffer top is a register (`rank_q`, the leading-zero count of the *next* buf, found
  // at the end of the previous clock), and the four values are not extracted one after the
  // other: value j starts at j*n + c after the prefix, c (0..j) = how many earlier values were
  // non-zero (each then has a sign bit), so all 10 (j, c) candidates are cut out in parallel
  // and a one-hot chain of the non-zero flags picks them.
  const win = m.wire('win', buf.slice(BUF - 1, BUF - ML));
  const rank = m.regInit('rank_q', 5, 15, { doc: 'leading zeros of the top 15 bits of buf (15: all zero): the prefix rank, kept with buf' });
  const plen = m.wire('plen', mux(rank.eq(15), lit(15, PB), rank.zext(PB).add(1, PB)));
  const kNow = m.wire('k_now', mux(inFrame, kHeld, kIn));
  const n = nOfRank(m, kNow, rank);
  const bad = m.wire('n_bad', W - 1 >= 15 ? lit(0, 1) : n.gt(W - 1));
  // body = the bits after the prefix, behind W zeros: the W bits ending at a value's last
  // magnitude bit start at (j+1)*n + c, and its sign bit follows them.
  const body = m.wire('body', cat(lit(0, W), win.shlVar(plen.trunc(4))));
  const BW = W + ML;
  const SB = ceilLog2(4 * 15 + 3 + 1);
  const n7 = n.zext(SB);
  const nMul = [n7, m.wire('n_x2', n7.shl(1)), m.wire('n_x3', n7.add(n7.shl(1), SB)), m.wire('n_x4', n7.shl(2))];
  const mask = m.wire('mag_mask', lit((1 << W) - 1, W).shlVar(n).not());
  const cand: { val: Expr; nz: Expr }[][] = [];
  for (let j = 0; j < 4; j++) {
    cand.push([]);
    for (let c = 0; c <= j; c++) {
      const t = m.wire(`field_${j}_${c}`, body.shlVar(c === 0 ? nMul[j] : nMul[j].add(c, SB)).slice(BW - 1, BW - 1 - W));
      const mag = m.wire(`mag_${j}_${c}`, t.slice(W, 1).and(mask));
      const nz = m.wire(`nz_${j}_${c}`, mag.orR());
      cand[j].push({ val: mux(nz.and(t.bit(0)), mag.neg().trunc(W).asUnsigned(), mag), nz });
    }
  }
  // hot[c]: c of the values before value j are non-zero.
  let hot: Expr[] = [lit(1, 1)];
  const vals: Expr[] = [];
  for (let j = 0; j < 4; j++) {
    let v: Expr = lit(0, W);
    for (let c = 0; c <= j; c++) v = v.or(mux(hot[c], cand[j][c].val, lit(0, W)));
    vals.push(m.wire(`val_${j}`, v));
    const next: Expr[] = [];
    for (let c = 0; c <= j + 1; c++) {
      const stay = c <= j ? hot[c].and(cand[j][c].nz.not()) : lit(0, 1);
      const step = c >= 1 ? hot[c - 1].and(cand[j][c - 1].nz) : lit(0, 1);
      next.push(m.wire(`hot_${j + 1}_${c}`, stay.or(step)));
    }
    hot = next;
  }
  // Length and its checks per non-zero count, selected by the last one-hot.
  const base = m.wire('len_base', plen.add(nMul[3].resize(PB), PB));
  let lenE: Expr = lit(0, PB), fitsE: Expr = lit(0, 1), restLtE: Expr = lit(0, 1);
  for (let c = 0; c <= 4; c++) {
    const lc = c === 0 ? base : base.add(c, PB);
    lenE = lenE.or(mux(hot[c], lc, lit(0, PB)));
    fitsE = fitsE.or(hot[c].and(lc.zext(FB).le(fill)));
    restLtE = restLtE.or(hot[c].and(fill.sub(lc.zext(FB), FB).lt(WB)));
  }
  const len = m.wire('len', lenE);
  const prefOk = m.wire('pref_ok', plen.zext(FB).le(fill));
  const fits = m.wire('fits', fitsE);

  // ---- events ---------------------------------------------------------------------------
  const of = m.instantiate('u_out_fifo', buildFifo({ width: 4 * W, depth: p.outDepth, last: true, user: true }).module);
  const fin = instSink(of);
  const room = m.wire('out_room', fin.readySig!);
  const active = m.wire('active', zero.not().and(drop.not()));
  const dec = m.wire('dec', active.and(prefOk).and(bad.not()).and(fits).and(room));
  const eCode = m.wire('err_code_now', active.and(prefOk).and(bad));
  const eTrunc = m.wire('err_trunc_now', active.and(endPend).and(prefOk.and(bad.or(fits)).not()));
  const emitZ = m.wire('emit_zero', zero.and(room));
  const leftNow = m.wire('left_now', mux(inFrame.or(zero), left, groupsIn));
  const lastG = m.wire('last_group', leftNow.eq(1));
  const endOk = m.wire('end_ok', endPend.and(restLtE));
  const eLong = m.wire('err_long_now', dec.and(lastG).and(endOk.not()));
  const anyErr = m.wire('any_err', eCode.or(eTrunc).or(eLong));
  // Consumed bits: the group, or at a flushed frame end everything up to the word boundary.
  const used = m.wire('used', mux(dec, mux(lastG.and(flush), fill, len.zext(FB)), lit(0, FB)));

  // The shift by the group length is split: the early part (prefix + 4n, known from rank_q) is a
  // variable shift in parallel with the value extraction, the late part (the non-zero count c,
  // 0..4) a one-hot select of five fixed shifts, each with the next rank precomputed. A flushed
  // frame end leaves an empty buffer: its tlast word is the last word in buf (end_ok, else `long`)
  // and no word is taken with it, so shifting by `fill` would only shift out zeros.
  const shBase = m.wire('bits_base', merged.shlVar(base));
  let nextDec: Expr = lit(0, BUF), rankDec: Expr = lit(0, 5);
  for (let c = 0; c <= 4; c++) {
    nextDec = nextDec.or(mux(hot[c], shBase.shl(c).trunc(BUF), lit(0, BUF)));
    rankDec = rankDec.or(mux(hot[c], leadingZeros15(shBase.slice(BUF - 1 - c, BUF - 15 - c)), lit(0, 5)));
  }
  const flushEnd = m.wire('flush_end', lastG.and(flush));
  const next = m.wire('bits_next', mux(dec, mux(flushEnd, lit(0, BUF), nextDec), merged));
  const rankNext = m.wire('rank_next', mux(dec, mux(flushEnd, lit(15, 5), rankDec), leadingZeros15(merged.slice(BUF - 1, BUF - 15))));
  m.when(anyErr, () => {
    buf.set(0);
    rank.set(15);
    fill.set(0);
    endPend.set(0);
    drop.set(endPend.not().and(accept.and(s.lastSig!).not()));
  }).otherwise(() => {
    buf.set(next);
    rank.set(rankNext);
    fill.set(fill.add(mux(store, lit(WB, FB), lit(0, FB)), FB).sub(used, FB));
    m.when(dec.and(lastG), () => endPend.set(0)).elsewhen(store.and(s.lastSig!), () => endPend.set(1));
    m.when(accept.and(drop).and(s.lastSig!), () => drop.set(0));
  });
  m.when(eCode.or(eTrunc), () => {
    zero.set(1);
    left.set(leftNow);
    m.when(inFrame.not(), () => kHeld.set(kIn));
  }).elsewhen(dec.or(emitZ), () => {
    left.set(leftNow.sub(1, GB));
    inFrame.set(lastG.not());
    m.when(inFrame.not(), () => kHeld.set(kIn));
    m.when(emitZ.and(lastG), () => zero.set(0));
  });

  fin.driveValid(dec.or(emitZ));
  fin.driveData(mux(zero, lit(0, 4 * W), cat(...[...vals].reverse())));
  fin.driveLast(lastG);
  fin.driveUser(inFrame.not());
  connectStream(m, instSource(of), o);

  const errTrunc = m.regInit('err_trunc', 1, 0);
  const errCode = m.regInit('err_code', 1, 0);
  const errLong = m.regInit('err_long', 1, 0);
  errTrunc.set(eTrunc);
  errCode.set(eCode);
  errLong.set(eLong);
  err.driveValid(errTrunc.or(errCode).or(errLong));
  err.driveData(cat(errLong, errCode, errTrunc));

  const flops = BUF + 5 + FB + 4 + GB + 4 + 3 + fifoFlops({ width: 4 * W, depth: p.outDepth, last: true, user: true });
  return { module: m, flops };
}
