// Line-buffer fetcher of the camera HDMI preview (README.md): the four colour planes (LL1 from the
// decoder, or fields) come in row by row and are kept in a ring of RING rows per colour; for each
// viewport pixel of a display frame it sends cam_scaler the clamped 2x2 neighbourhood of every
// colour (exactly cam_scaler/model.ts scalerInputs: rows i0, i0 + 1 and columns j0, j0 + 1 of
// model/camera/preview.ts planeCoord). The display frame is started by `start` (the HDMI frame
// start); the pixels then leave in raster order as fast as the rows arrive and the scaler takes
// them, while the display pops them at its pixel request. The writer runs at most RING rows ahead
// of the rows the current viewport row needs (its tready falls), and a new frame's first beat
// waits until the shown frame is fetched, so the decoder is paced by the display.
//
// Arithmetic: vn = min(65535, acc >> 17), acc = (2 r + 1) s + 2^16 (34 bits, incremental);
// j0 + 1 = (vn * size + K) >> 16 with K = (128 - 32768 - delta) mod 2^16 (the scaler's weight
// constant: 128 - 32768 - delta lies in (-2^16, 0) for every centre offset), clamped per neighbour.
import { cat, defineParams, int, lit, Module, mux, type Expr, type Signal } from '../../core/index.ts';
import { creditOutput, creditOutputFlops } from '../axis/credit.ts';
import { streamIn, streamOut, type StreamSource } from '../axis/stream.ts';
import { ceilLog2 } from '../mac_pe/widths.ts';
import { weightConstantRegs } from '../cam_scaler/index.ts';

/** Rows kept per colour: a viewport row needs at most 3 (centres of the colours differ by < 1 row), one more is written. */
export const FETCH_RING = 4;
/** Bits of the passive `err` stream, bit 0 first. */
export const CAM_FETCH_ERR_BITS = ['nodata', 'abort', 'row', 'rows'] as const;
const COLOURS = 4;
const PIX = 10;

export const camFetchParams = defineParams(
  'cam_fetch',
  {
    maxWidth: int({ min: 4, max: 16384, default: 1024, doc: 'widest plane row in samples (even); the ring RAMs are maxWidth / 2 deep' }),
    planeBits: int({ min: 2, max: 15, default: 11, doc: 'width of the pw, ph registers' }),
    sizeBits: int({ min: 2, max: 16, default: 12, doc: 'width of the vw, vh registers (viewport size)' }),
    fifoDepth: int({ min: 5, max: 64, default: 6, doc: 'output FIFO entries (>= 5 sustains one pixel per clock)' }),
  },
  [
    (p) => (p.maxWidth % 2 === 0 ? undefined : `maxWidth = ${p.maxWidth} must be even (two samples per input beat)`),
    (p) => (p.maxWidth < 2 ** p.planeBits ? undefined : `maxWidth = ${p.maxWidth} must be < 2^planeBits = ${2 ** p.planeBits}`),
  ],
);

export type CamFetchConfig = ReturnType<typeof camFetchParams.validate>;

export function camFetchFlops(p: CamFetchConfig): number {
  const PB = p.planeBits, ZB = p.sizeBits, CB = ceilLog2(p.maxWidth / 2);
  const writer = 2 + (PB + 1) + (CB + 1) + (PB + 1) + 2; // wstate, wrow, wcol, need_lo, err
  const reader = 1 + 2 + 2 + 2 * ZB + 2 * 34 + 1 + 2 + 2 * 16 + 16 + 2 * (PB + 1) + 8 + (PB + 1); // live .. row_hi
  const pipe = 3 * 3 + 16 + 3 * 8 + 2 * (PB + 1) + 4; // valid/last/user, vnx1, rows1..3, jp2, par3
  return writer + reader + pipe + creditOutputFlops(16 * PIX, p.fifoDepth);
}

export function buildCamFetch(config: Partial<CamFetchConfig> = {}): { module: Module; flops: number; ramBits: number } {
  const p = camFetchParams.validate(config);
  const PB = p.planeBits, ZB = p.sizeBits, HALF = p.maxWidth / 2, CB = ceilLog2(HALF), R = FETCH_RING;
  const m = new Module(`cam_fetch_w${p.maxWidth}_p${PB}_z${ZB}_d${p.fifoDepth}`, {
    params: { block: 'cam_fetch', ...p },
    doc: `preview line-buffer fetcher: 4 colour planes (rows up to ${p.maxWidth}) in, per viewport pixel the 2x2 neighbourhood of each colour out`,
  });
  const s = streamIn(m, { width: COLOURS * 2 * PIX });
  const o = streamOut(m, { width: COLOURS * 4 * PIX });
  const start = m.input('start', 1, { doc: 'display frame start (one clock): fetch the pending frame, if any' });
  const sx = m.input('sx', 32, { doc: 'round(2^32 / vw)' });
  const sy = m.input('sy', 32, { doc: 'round(2^32 / vh)' });
  const vw = m.input('vw', ZB, { doc: 'viewport width (>= 1)' });
  const vh = m.input('vh', ZB, { doc: 'viewport height (>= 1)' });
  const pw = m.input('pw', PB, { doc: 'plane width (even, <= maxWidth)' });
  const ph = m.input('ph', PB, { doc: 'plane height (>= 1)' });
  const subsampled = m.input('subsampled', 1, { doc: '1: subsampled-mode colour centres' });
  const level = m.input('level', 1, { doc: '1: LL1 planes, 0: fields' });
  const live = m.regInit('live', 1, 0, { doc: 'the display frame started at the last start shows a frame' });
  m.output('shown', 1, { doc: 'the current display frame has a frame to show (set the clock after start)' }).set(live);
  const err = streamOut(m, { width: CAM_FETCH_ERR_BITS.length, ready: false, last: false, user: false }, 'err');

  // ---- frame ownership of the ring ----------------------------------------------------------------
  // STALE: no frame to keep (rows are dropped); PENDING: a frame has started, waits for a start;
  // SHOWN: the display frame fetches it.
  const STALE = 0, PENDING = 1, SHOWN = 2;
  const wstate = m.regInit('wstate', 2, STALE);
  const wrow = m.regInit('wrow', PB + 1, 0, { doc: 'rows of the frame complete (saturates at ph)' });
  const wcol = m.regInit('wcol', CB + 1, 0, { doc: 'sample pair of the row being written (stops at the row end)' });
  const needLo = m.regInit('need_lo', PB + 1, 0, { doc: 'lowest row the current viewport row reads' });

  // ---- writer -------------------------------------------------------------------------------------
  const user = s.userSig!, last = s.lastSig!;
  const wrowNow = m.wire('wrow_now', mux(user, lit(0, PB + 1), wrow));
  const wcolNow = m.wire('wcol_now', mux(user, lit(0, CB + 1), wcol));
  const owned = m.wire('owned', user.or(wstate.ne(STALE)));
  const overRows = m.wire('over_rows', wrowNow.ge(ph.zext(PB + 1)));
  const limit = m.wire('row_limit', mux(wstate.eq(SHOWN), needLo.add(R, PB + 1), lit(R, PB + 1)));
  const room = m.wire('row_room', wrowNow.lt(limit));
  // A first beat waits while a frame is pending or shown; other beats wait for ring room, unless dropped.
  const sReady = m.wire('s_ready', mux(user, wstate.eq(STALE), wstate.eq(STALE).or(overRows).or(room)));
  s.driveReady(sReady);
  const accept = m.wire('accept', s.valid.and(sReady));
  const keep = m.wire('keep', accept.and(owned).and(overRows.not()));
  const half = m.wire('pw_half', pw.slice(PB - 1, 1).zext(CB + 1));
  m.unused(pw.bit(0), 'plane widths are even');
  const inRow = m.wire('in_row', wcolNow.lt(half));
  const rings = Array.from({ length: COLOURS }, (_, c) =>
    Array.from({ length: R }, (_, r) => [0, 1].map((k) => m.memory(`ring_${c}_${r}_${k ? 'o' : 'e'}`, { depth: HALF, width: PIX, doc: `colour ${c}, ring row ${r}, ${k ? 'odd' : 'even'} columns` }))),
  );
  const slotW = wrowNow.slice(1, 0);
  rings.forEach((rc, c) =>
    rc.forEach((banks, r) =>
      banks.forEach((mem, k) => {
        const lane = 2 * c + k;
        mem.write(wcolNow.trunc(CB), s.data.slice(PIX * lane + PIX - 1, PIX * lane), keep.and(inRow).and(slotW.eq(r)));
      }),
    ),
  );
  const rowEndOk = m.wire('row_end_ok', wcolNow.eq(half.sub(1, CB + 1)));
  m.when(accept, () => {
    m.when(user, () => wstate.set(PENDING));
    m.when(last, () => {
      wcol.set(0);
      wrow.set(mux(keep, wrowNow.add(1, PB + 1), wrowNow));
    }).otherwise(() => {
      wcol.set(mux(inRow, wcolNow.add(1, CB + 1), wcolNow));
      wrow.set(wrowNow);
    });
  });
  const eRow = m.regInit('err_row', 1, 0);
  const eRows = m.regInit('err_rows', 1, 0);
  eRow.set(keep.and(last.xor(rowEndOk)));
  eRows.set(accept.and(owned).and(overRows).and(last));

  // ---- reader: display frame, viewport rows and pixels ------------------------------------------------
  const IDLE = 0, CALC = 1, WAIT = 2, ISSUE = 3;
  const fstate = m.regInit('fstate', 2, IDLE);
  const step = m.regInit('calc_step', 2, 0);
  const rx = m.regInit('rx', ZB, 0);
  const ry = m.regInit('ry', ZB, 0);
  const accx = m.reg('accx', 34, { reset: null, doc: '(2 rx + 1) sx + 2^16' });
  const accy = m.reg('accy', 34, { reset: null, doc: '(2 ry + 1) sy + 2^16' });
  const vnOf = (a: Expr): Expr => mux(a.bit(33), lit(65535, 16), a.slice(32, 17));
  const first = (v: Expr): Expr => v.zext(34).add(65536, 34);
  const twice = (v: Expr): Expr => v.zext(34).shl(1).trunc(34);
  const flushN = m.regInit('flush_n', 1, 0, { doc: 'low the clock after start: output side emptied' });
  flushN.set(start.not());
  const eNoData = m.regInit('err_nodata', 1, 0);
  const eAbort = m.regInit('err_abort', 1, 0);
  eNoData.set(start.and(wstate.ne(PENDING)).and(fstate.eq(IDLE)));
  eAbort.set(start.and(fstate.ne(IDLE)));

  // Weight constants per axis class (column class c & 1, row class c >> 1), = cam_scaler's.
  const kc = weightConstantRegs(m, subsampled, level);
  // j0 + 1 of a normalised coordinate: (vn * size + K) >> 16, PB + 1 bits (>= 0).
  const idxPlus1 = (prod: Expr, k: Expr): Expr => prod.add(k.zext(16 + PB), 16 + PB + 1).slice(16 + PB, 16);
  // Clamped neighbours of j0 (= jp1 - 1) and j0 + 1 in 0..size-1.
  const clampIdx = (jp1: Expr, size: Expr): [Expr, Expr] => {
    const max = size.zext(PB + 1).sub(1, PB + 1);
    const a = mux(jp1.eq(0), lit(0, PB + 1), mux(jp1.gt(size.zext(PB + 1)), max, jp1.sub(1, PB + 1)));
    const b = mux(jp1.gt(max), max, jp1);
    return [a, b];
  };

  // Row of the viewport: three clocks (vn, product, clamps); the row's reads are done by then.
  const vny = m.reg('vny', 16, { reset: null });
  const rowJp1 = [m.reg('row_jp1_0', PB + 1, { reset: null }), m.reg('row_jp1_1', PB + 1, { reset: null })];
  const rowA = [m.reg('row_a_0', 2, { reset: null }), m.reg('row_a_1', 2, { reset: null })];
  const rowB = [m.reg('row_b_0', 2, { reset: null }), m.reg('row_b_1', 2, { reset: null })];
  const rowHi = m.reg('row_hi', PB + 1, { reset: null, doc: 'highest row the viewport row reads' });
  const prodY = m.wire('prod_y', vny.mul(ph, 16 + PB));
  const ia = rowJp1.map((j) => clampIdx(j, ph));
  const lo = m.wire('row_lo', mux(ia[0][0].lt(ia[1][0]), ia[0][0], ia[1][0]));
  const hi = m.wire('row_hi_now', mux(ia[0][1].gt(ia[1][1]), ia[0][1], ia[1][1]));

  // The pixel issue port: a credit-guarded pipeline into the output FIFO.
  const issueWant = m.wire('issue_want', fstate.eq(ISSUE).and(flushN));
  // The issue port as creditOutput's source: valid = a pixel is due, its tready = a credit is free.
  const issueSrc: StreamSource = { width: 1, last: false, user: false, ready: true, where: `${m.name}.issue`, data: lit(0, 1), valid: issueWant, lastSig: undefined, userSig: undefined, driveReady: () => {} };
  const co = creditOutput(m, issueSrc, o, p.fifoDepth, { flushN });
  const issue = co.take;
  const rowLast = m.wire('row_last', rx.eq(vw.sub(1, ZB)));
  const frameLast = m.wire('frame_last', ry.eq(vh.sub(1, ZB)));

  m.when(start, () => {
    live.set(wstate.eq(PENDING));
    m.when(wstate.eq(PENDING), () => {
      wstate.set(SHOWN);
      fstate.set(CALC);
      step.set(0);
      ry.set(0);
      accy.set(first(sy));
      needLo.set(0);
    })
      .elsewhen(wstate.eq(SHOWN), () => {
        wstate.set(STALE);
        fstate.set(IDLE);
      })
      .otherwise(() => fstate.set(IDLE));
  }).otherwise(() => {
    m.switch(fstate)
      .is(CALC, () => {
        step.set(step.add(1, 2));
        m.switch(step)
          .is(0, () => vny.set(vnOf(accy)))
          .is(1, () => {
            rowJp1[0].set(idxPlus1(prodY, kc[0]));
            rowJp1[1].set(idxPlus1(prodY, kc[1]));
          })
          .default(() => {
            rowA.forEach((r, i) => r.set(ia[i][0].slice(1, 0)));
            rowB.forEach((r, i) => r.set(ia[i][1].slice(1, 0)));
            rowHi.set(hi);
            needLo.set(lo);
            rx.set(0);
            accx.set(first(sx));
            fstate.set(WAIT);
          });
      })
      .is(WAIT, () => m.when(rowHi.lt(wrow).and(wstate.eq(SHOWN)), () => fstate.set(ISSUE)))
      .is(ISSUE, () =>
        m.when(issue, () => {
          rx.set(rx.add(1, ZB));
          accx.set(accx.add(twice(sx), 34));
          m.when(rowLast, () => {
            m.when(frameLast, () => {
              fstate.set(IDLE);
              wstate.set(STALE);
            }).otherwise(() => {
              ry.set(ry.add(1, ZB));
              accy.set(accy.add(twice(sy), 34));
              step.set(0);
              fstate.set(CALC);
            });
          });
        }),
      )
      .default(() => {});
  });

  // ---- pixel pipeline: t1 vn, t2 j0 + 1 per column class, t3 addresses -> RAM read, t4 select -------
  const ctl = (j: number, prev: { v: Expr; last: Expr; user: Expr }) => {
    const c = { v: m.regInit(`v${j}`, 1, 0), last: m.reg(`last${j}`, 1, { reset: null }), user: m.reg(`user${j}`, 1, { reset: null }) };
    c.v.set(prev.v.and(flushN));
    c.last.set(prev.last);
    c.user.set(prev.user);
    return c;
  };
  const carry = (name: string, w: number, v: Expr): Signal => {
    const r = m.reg(name, w, { reset: null });
    r.set(v);
    return r;
  };
  const c1 = ctl(1, { v: issue, last: rowLast, user: rx.eq(0).and(ry.eq(0)) });
  const vnx1 = carry('vnx1', 16, vnOf(accx));
  const rows1 = carry('rows1', 8, cat(rowB[1], rowA[1], rowB[0], rowA[0]));
  const c2 = ctl(2, c1);
  const prodX = m.wire('prod_x', vnx1.mul(pw, 16 + PB));
  const jp2 = [carry('jp2_0', PB + 1, idxPlus1(prodX, kc[0])), carry('jp2_1', PB + 1, idxPlus1(prodX, kc[1]))];
  const rows2 = carry('rows2', 8, rows1);
  const c3 = ctl(3, c2);
  // Column class k: neighbours xa, xb; the even bank reads the even one of them, the odd bank the odd one.
  const addr: { e: Expr; o: Expr; pa: Expr; pb: Expr }[] = jp2.map((j, k) => {
    const [xa, xb] = clampIdx(j, pw);
    const pa = m.wire(`par_a_${k}`, xa.bit(0));
    const pb = m.wire(`par_b_${k}`, xb.bit(0));
    return {
      e: m.wire(`addr_e_${k}`, mux(pa, xb, xa).slice(CB, 1)),
      o: m.wire(`addr_o_${k}`, mux(pa, xa, xb).slice(CB, 1)),
      pa,
      pb,
    };
  });
  const par3 = carry('par3', 4, cat(addr[1].pb, addr[1].pa, addr[0].pb, addr[0].pa));
  const rows3 = carry('rows3', 8, rows2);
  const rd = rings.map((rc, c) => rc.map((banks) => [banks[0].readSync(addr[c & 1].e), banks[1].readSync(addr[c & 1].o)]));
  // t4: per colour rows a, b (slots of its row class) x columns a, b (banks by parity of its column class).
  const lanes: Expr[] = [];
  for (let c = 0; c < COLOURS; c++) {
    const rc = c >> 1, cc = c & 1;
    const slotA = rows3.slice(4 * rc + 1, 4 * rc), slotB = rows3.slice(4 * rc + 3, 4 * rc + 2);
    const pa = par3.bit(2 * cc), pb = par3.bit(2 * cc + 1);
    const at = (slot: Expr, par: Expr): Expr => {
      const pick = (k: 0 | 1) => mux(slot.bit(1), mux(slot.bit(0), rd[c][3][k], rd[c][2][k]), mux(slot.bit(0), rd[c][1][k], rd[c][0][k]));
      return mux(par, pick(1), pick(0));
    };
    lanes.push(m.wire(`nb_${c}_0`, at(slotA, pa)), m.wire(`nb_${c}_1`, at(slotA, pb)), m.wire(`nb_${c}_2`, at(slotB, pa)), m.wire(`nb_${c}_3`, at(slotB, pb)));
  }
  co.push(c3.v, cat(...[...lanes].reverse()), c3.last, c3.user);

  err.driveValid(eNoData.or(eAbort).or(eRow).or(eRows));
  err.driveData(cat(eRows, eRow, eAbort, eNoData));
  return { module: m, flops: camFetchFlops(p), ramBits: COLOURS * R * 2 * HALF * PIX };
}
