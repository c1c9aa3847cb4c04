// Horizontal 5/3 lifting core (README.md): P samples per clock of one colour field's rows in,
// low/high-pass pairs out, exactly model/camera/dwt.ts forward53 (symmetric borders, floor
// shifts). Registers only: a one-group hold register supplies the right neighbour, a free-running
// 2-stage lifting pipeline (valid bits travel with the data) ends in a credit-guarded FIFO.
import { bool, cat, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { buildFifo, fifoFlops } from '../axis/fifo.ts';
import { connectStream, instSink, instSource, streamIn, streamOut } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { dwt53hGroup } from './model.ts';

export const dwt53hParams = defineParams(
  'dwt53_h',
  {
    lanes: int({ min: 1, max: 64, default: 4, doc: 'samples per input beat (1 or even)' }),
    inBits: int({ min: 2, max: 20, default: 10, doc: 'input sample width' }),
    inSigned: bool({ default: false, doc: 'input samples are two\'s complement (stage 2 takes LL1)' }),
    outBits: int({ min: 3, max: 24, default: 12, doc: 'signed coefficient width (stage 1: 12, stage 2: 13; docs/camera.md)' }),
    fifoDepth: int({ min: 5, max: 64, default: 6, doc: 'output FIFO entries; >= 6 sustains one group per clock' }),
    stall: bool({ default: false, doc: 'true: one stall enable and an output register instead of the credit FIFO (about half the area; the enable drives every pipeline flop, so keep P small)' }),
  },
  [(p) => (p.lanes === 1 || p.lanes % 2 === 0 ? undefined : `lanes = ${p.lanes} must be 1 or even (lifting pairs must not straddle beats)`)],
);

export type Dwt53hConfig = ReturnType<typeof dwt53hParams.validate>;

export interface Dwt53hInfo {
  module: Module;
  /** Input samples per output beat (G) and pairs per output beat (Q). */
  group: number;
  pairs: number;
  flops: number;
}

export function dwt53hFlops(p: Dwt53hConfig): number {
  const { group: G, pairs: Q } = dwt53hGroup(p.lanes);
  const iw = p.inBits, ow = p.outBits;
  const pend = p.lanes === 1 ? iw + 3 : 0; // first sample of a pair, its tuser, phase, err_odd
  const hold = G * iw + 4;
  const s1 = Q * (ow + iw) + 4;
  const s2 = Q * (2 * ow + iw) + 3;
  const out = p.stall ? 2 * Q * ow + 3 : ceilLog2(p.fifoDepth + 1) + fifoFlops({ width: 2 * Q * ow, depth: p.fifoDepth, last: true, user: true });
  return pend + hold + s1 + ow + s2 + 1 + out;
}

export function buildDwt53h(config: Partial<Dwt53hConfig> = {}): Dwt53hInfo {
  const p = dwt53hParams.validate(config);
  const { group: G, pairs: Q } = dwt53hGroup(p.lanes);
  const iw = p.inBits, ow = p.outBits, D = p.fifoDepth;
  const m = new Module(`dwt53_h_p${p.lanes}_i${iw}${p.inSigned ? 's' : 'u'}_o${ow}_${p.stall ? 'stall' : `d${D}`}`, {
    params: { block: 'dwt53_h', ...p },
    doc: `horizontal 5/3 lifting, ${p.lanes} x ${iw}-bit ${p.inSigned ? 'signed' : 'unsigned'} samples per beat -> ${Q} (low, high) pairs of ${ow}-bit signed per beat`,
  });
  const s = streamIn(m, { width: p.lanes * iw });
  const o = streamOut(m, { width: 2 * Q * ow });

  // Samples as signed values one bit wider when unsigned, so the lifting arithmetic is signed.
  const sx = (e: Expr): Expr => (p.inSigned ? e.asSigned() : e.zext(iw + 1).asSigned());
  const lane = (k: number): Expr => s.data.slice(iw * k + iw - 1, iw * k);

  // ---- flow control: credits (one per group, taken when its last beat is accepted) or a stall --
  const cb = ceilLog2(D + 1);
  const credits = p.stall ? undefined : m.regInit('credits', cb, D, { doc: 'FIFO places not yet promised to a group' });
  const outValid = p.stall ? m.regInit('out_valid', 1, 0) : undefined;
  // Stall mode: every pipeline register moves only when the output register can (adv).
  const adv = outValid ? m.wire('adv', outValid.not().or(o.readySig!)) : undefined;
  const onAdv = (body: () => void) => (adv ? m.when(adv, body) : body());
  const creditOk = adv ?? m.wire('credit_ok', credits!.ne(0));

  // ---- input: a group of G samples (P = 1: a pair collected over two beats) ----------------------
  let cur: Expr[];
  let curUser: Expr;
  let completes: Expr;
  let ready: Expr;
  let oddDrop: Expr | undefined;
  if (p.lanes === 1) {
    const phase = m.regInit('phase', 1, 0, { doc: 'the first sample of a pair is held in pend' });
    const pend = m.reg('pend', iw, { reset: null });
    const pendUser = m.regInit('pend_user', 1, 0);
    completes = phase;
    ready = m.wire('s_ready', creditOk.or(phase.not()));
    const take = m.wire('take', s.valid.and(ready));
    // tlast on the first sample of a pair (odd row length): the sample is dropped, the row ends
    // at its last whole pair (so the next row starts aligned), and err_odd pulses.
    const odd = m.wire('odd_last', phase.not().and(s.lastSig!));
    m.when(take.and(odd.not()), () => {
      phase.set(phase.not());
      m.when(phase.not(), () => {
        pend.set(s.data);
        pendUser.set(s.userSig!);
      });
    });
    const errOdd = m.regInit('err_odd_r', 1, 0);
    oddDrop = m.wire('odd_drop', take.and(odd));
    errOdd.set(oddDrop);
    m.output('err_odd', 1, { doc: 'pulse: tlast on the first sample of a pair (row of odd length; sample dropped)' }).set(errOdd);
    cur = [pend, s.data];
    curUser = pendUser;
  } else {
    completes = lit(1, 1);
    ready = creditOk;
    cur = Array.from({ length: G }, (_, k) => lane(k));
    curUser = s.userSig!;
  }
  s.driveReady(ready);
  const groupTake = m.wire('group_take', s.valid.and(ready).and(completes));
  const curLast = s.lastSig!;

  // ---- hold: the group whose right neighbour is awaited -----------------------------------------
  const hold = Array.from({ length: G }, (_, k) => m.reg(`hold_${k}`, iw, { reset: null }));
  const holdValid = m.regInit('hold_valid', 1, 0);
  const holdLast = m.regInit('hold_last', 1, 0, { doc: 'held group ends its row: it leaves without waiting' });
  const holdUser = m.regInit('hold_user', 1, 0);
  const holdFirst = m.regInit('hold_first', 1, 0, { doc: 'held group starts its row: d[-1] := d[0]' });
  const rowStart = m.regInit('row_start', 1, 1, { doc: 'the next group starts a row' });
  // A held group leaves when its right neighbour arrives, or at once when it ends a row.
  const fire = m.wire('fire', adv ? holdValid.and(holdLast.and(adv).or(groupTake)) : holdValid.and(holdLast.or(groupTake)));
  m.when(groupTake, () => {
    hold.forEach((h, k) => h.set(cur[k]));
    holdValid.set(1);
    holdLast.set(curLast);
    holdUser.set(curUser);
    holdFirst.set(rowStart);
    rowStart.set(curLast);
  }).elsewhen(fire, () => holdValid.set(0));
  // An odd-length row ends at its last whole pair: the held group leaves with the mirror border.
  if (oddDrop)
    m.when(oddDrop, () => {
      holdLast.set(1);
      rowStart.set(1);
    });

  // ---- stage 1: predict d[j] = x[2j+1] - ((x[2j] + x[2j+2]) >> 1), x[N] := x[N-2] -----------------
  const xn = m.wire('x_next', mux(holdLast, hold[G - 2], cur[0]));
  const v1 = m.regInit('v1', 1, 0);
  const d1: Signal[] = [], xe1: Signal[] = [];
  for (let j = 0; j < Q; j++) {
    const right = j < Q - 1 ? hold[2 * j + 2] : xn;
    const pair = sx(hold[2 * j]).add(sx(right));
    const d = m.wire(`predict_${j}`, sx(hold[2 * j + 1]).sub(pair.shr(1)).resize(ow));
    d1.push(m.reg(`d1_${j}`, ow, { reset: null, signed: true }));
    xe1.push(m.reg(`xe1_${j}`, iw, { reset: null }));
    onAdv(() => {
      d1[j].set(d);
      xe1[j].set(hold[2 * j]);
    });
  }
  const first1 = m.reg('first1', 1, { reset: null });
  const last1 = m.reg('last1', 1, { reset: null });
  const user1 = m.reg('user1', 1, { reset: null });
  onAdv(() => {
    v1.set(fire);
    first1.set(holdFirst);
    last1.set(holdLast);
    user1.set(holdUser);
  });

  // ---- stage 2: u[j] = (d[j-1] + d[j] + 2) >> 2, d[-1] := d[0] at a row start ------------------
  const dPrev = m.reg('d_prev', ow, { reset: null, signed: true, doc: 'last d of the previous group' });
  m.when(adv ? v1.and(adv) : v1, () => dPrev.set(d1[Q - 1]));
  const v2 = m.regInit('v2', 1, 0);
  const u2: Signal[] = [], d2: Signal[] = [], xe2: Signal[] = [];
  for (let j = 0; j < Q; j++) {
    const dm1 = j > 0 ? d1[j - 1] : mux(first1, d1[0], dPrev);
    u2.push(m.reg(`u2_${j}`, ow, { reset: null, signed: true }));
    d2.push(m.reg(`d2_${j}`, ow, { reset: null, signed: true }));
    xe2.push(m.reg(`xe2_${j}`, iw, { reset: null }));
    onAdv(() => {
      u2[j].set(dm1.add(d1[j]).add(2).shr(2));
      d2[j].set(d1[j]);
      xe2[j].set(xe1[j]);
    });
  }
  const last2 = m.reg('last2', 1, { reset: null });
  const user2 = m.reg('user2', 1, { reset: null });
  onAdv(() => {
    v2.set(v1);
    last2.set(last1);
    user2.set(user1);
  });

  // ---- update s[j] = x[2j] + u[j] into the output FIFO (or the output register) -----------------
  const lo = Array.from({ length: Q }, (_, j) => m.wire(`update_${j}`, sx(xe2[j]).add(u2[j]).resize(ow)));
  const outData = cat(...[...d2].reverse().map((x) => x.asUnsigned()), ...[...lo].reverse().map((x) => x.asUnsigned()));
  if (outValid) {
    const od = m.reg('out_data', 2 * Q * ow, { reset: null });
    const ol = m.reg('out_last', 1, { reset: null });
    const ou = m.reg('out_user', 1, { reset: null });
    onAdv(() => {
      outValid.set(v2);
      od.set(outData);
      ol.set(last2);
      ou.set(user2);
    });
    o.driveValid(outValid);
    o.driveData(od);
    o.driveLast(ol);
    o.driveUser(ou);
    return { module: m, group: G, pairs: Q, flops: dwt53hFlops(p) };
  }
  const fifo = m.instantiate('u_out_fifo', buildFifo({ width: 2 * Q * ow, depth: D, last: true, user: true }).module);
  const sink = instSink(fifo);
  sink.driveValid(v2);
  sink.driveData(outData);
  sink.driveLast(last2);
  sink.driveUser(user2);
  fifo.unused('s_axis_tready', 'the credit counter guarantees a free entry on every push');
  const src = instSource(fifo);
  connectStream(m, src, o);
  const pop = m.wire('pop', src.valid.and(o.readySig!));
  m.when(groupTake.and(pop.not()), () => credits!.set(credits!.sub(1, cb))).elsewhen(pop.and(groupTake.not()), () => credits!.set(credits!.add(1, cb)));
  return { module: m, group: G, pairs: Q, flops: dwt53hFlops(p) };
}
