// Keep the owned columns of a cell stream: cells whose column lies in [cfg_own_lo, cfg_own_hi)
// pass, the halo cells are consumed and dropped. tuser is re-made on the first kept cell of the
// frame, tlast on the last kept cell of each grid row, so the output is a well-formed cell
// stream of the owned region (what the DMA writes back to the hidden-state buffer).
import { lit, Module, mux } from '../../core/index.ts';
import { streamIn, streamOut } from '../../blocks/axis/stream.ts';

export function buildCellCrop(opts: { width: number; colBits: number }): Module {
  const { width: W, colBits: CB } = opts;
  const m = new Module(`cell_crop_w${W}`, { params: { block: 'cell_crop', ...opts }, doc: `owned-column filter of a ${W}-bit cell stream` });
  const s = streamIn(m, { width: W });
  const o = streamOut(m, { width: W });
  const lo = m.input('cfg_own_lo', CB, { doc: 'first owned cell column' });
  const hi = m.input('cfg_own_hi', CB, { doc: 'one past the last owned cell column' });

  // Column counter: reset by tuser (the frame's first cell) and by tlast (next row starts at 0).
  const col = m.regInit('col', CB, 0);
  const firstPending = m.regInit('first_pending', 1, 1, { doc: 'no owned cell of this frame sent yet' });
  const c = m.wire('cur_col', mux(s.userSig!, lit(0, CB), col));
  const keep = m.wire('keep', c.ge(lo).and(c.lt(hi)));
  const lastKept = m.wire('last_kept', c.add(1, CB).eq(hi));

  // Output register (one entry); the input is accepted when the register is free or drained, or
  // when the cell is dropped anyway.
  const oValid = m.regInit('o_valid', 1, 0);
  const oData = m.reg('o_data', W, { reset: null });
  const oLast = m.reg('o_last', 1, { reset: null });
  const oUser = m.reg('o_user', 1, { reset: null });
  const free = m.wire('o_free', oValid.not().or(o.readySig!));
  const sReady = m.wire('s_ready', free.or(keep.not()));
  s.driveReady(sReady);
  const fire = m.wire('s_fire', s.valid.and(sReady));
  m.when(fire, () => {
    col.set(mux(s.lastSig!, lit(0, CB), c.add(1, CB)));
  });
  m.when(free, () => {
    oValid.set(fire.and(keep));
    oData.set(s.data);
    oLast.set(lastKept);
    oUser.set(s.userSig!.or(firstPending));
  });
  m.when(fire.and(keep), () => firstPending.set(0)).elsewhen(fire.and(s.userSig!), () => firstPending.set(1));
  o.driveValid(oValid);
  o.driveData(oData);
  o.driveLast(oLast);
  o.driveUser(oUser);
  return m;
}
