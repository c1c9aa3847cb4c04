// `screen_wload`: the start-up weight port of a `weightSource: 'loaded'` screen_core, between
// s_axis_weights and the daisy chain of loadable conv units (conv_unit loader.ts), and the gate
// in front of the video input that keeps frames and weight images apart (docs/architecture.md
// "Weights"):
//
// * An image is the stage tables of screen_top_weights.hex, `words` 32-bit words, tlast on the
//   last. It starts only when no frame is in flight (a frame counts from its start-of-frame beat
//   to its last HR output line, or until cell_pack drops it), no word of an earlier image is
//   still in the chain and no start of frame is being decided in the same cycle; a start of frame
//   that arrives while an image loads waits (tready low) until it is complete.
// * weights_loaded rises once an image of exactly `words` words has reached every unit and every
//   unit reports its table complete; the first word of the next image clears it. A tlast before
//   word `words` (truncated) or a word `words` without tlast (too long: the rest, up to tlast,
//   leaves the last unit's m_axis_w and is discarded) pulses err_weights_len and leaves
//   weights_loaded low.
// * A start of frame while weights_loaded is low (and no image is loading) pulses err_no_weights
//   and the whole frame (up to the next start of frame) is consumed and discarded: no cells, no
//   output, no hidden-state reads, and nothing waits for a load that may never come.
import { lit, Module, mux } from '../../core/index.ts';
import { streamIn, streamOut } from '../../blocks/axis/stream.ts';

export interface WeightLoadParams {
  /** Words of a complete image (weights_mem.ts `weightMemory(...).words.length`). */
  words: number;
  /** Video pixel bits (8 or 24). */
  pixelBits: number;
  /** Width of cfg_height. */
  dimBits: number;
}

const bitsFor = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1)));
export const WORD_BITS = 32;

export function buildWeightLoad(p: WeightLoadParams): Module {
  if (!Number.isInteger(p.words) || p.words < 2) throw new RangeError(`screen_wload: words = ${p.words}, expected an integer >= 2`);
  const m = new Module('screen_wload', { params: { block: 'screen_wload', ...p }, doc: `start-up weight port (${p.words}-word images) and the video gate of a loaded-weights screen_core` });
  const ws = streamIn(m, { width: WORD_BITS, user: false }, 's_axis_weights');
  const wm = streamOut(m, { width: WORD_BITS, user: false }, 'm_axis_weights');
  const vs = streamIn(m, { width: p.pixelBits }, 's_axis_video');
  const vm = streamOut(m, { width: p.pixelBits }, 'm_axis_video');
  const chainBusy = m.input('chain_busy', 1, { doc: 'a word is waiting between two conv units or leaving the last one (OR of their m_axis_w_tvalid)' });
  const unitsLoaded = m.input('units_loaded', 1, { doc: 'every conv unit reports w_loaded' });
  const lineOut = m.input('line_out', 1, { doc: 'an HR line ended on video out (handshake with tlast)' });
  const dropped = m.input('frame_dropped', 1, { doc: 'cell_pack dropped the frame that just started (err_cfg)' });
  const height = m.input('cfg_height', p.dimBits, { doc: 'LR lines per frame (static while a frame is in flight)' });
  const loadedOut = m.output('weights_loaded', 1, { doc: 'a complete image is loaded in every unit' });
  const errNo = m.output('err_no_weights', 1, { doc: 'pulse: a start of frame while weights_loaded was low; the frame is discarded' });
  const errLen = m.output('err_weights_len', 1, { doc: `pulse: an image ended before word ${p.words} (tlast early) or went past it (no tlast on word ${p.words})` });

  const imgOn = m.regInit('img_on', 1, 0, { doc: 'an image is being accepted (started, tlast not yet)' });
  const settling = m.regInit('settling', 1, 0, { doc: 'a complete image was accepted; waiting for the chain to drain and every unit to report its table' });
  const ok = m.regInit('ok', 1, 0, { doc: 'weights_loaded' });
  const over = m.regInit('over', 1, 0, { doc: `the image went past word ${p.words} without tlast` });
  const cw = bitsFor(p.words - 1);
  const cnt = m.regInit('w_count', cw, 0, { doc: 'index of the next word in the image (saturates at the last)' });
  const frames = m.regInit('frames', 3, 0, { doc: 'frames in flight (saturates at 7)' });
  const lines = m.regInit('out_lines', p.dimBits + 1, 0, { doc: 'HR lines sent of the oldest frame in flight' });
  const dropping = m.regInit('dropping', 1, 0, { doc: 'discarding the beats of a frame that started without weights' });
  const loadBusy = m.wire('load_busy', imgOn.or(settling));

  // ---- video gate ------------------------------------------------------------------------------
  const user = vs.userSig!;
  const passSof = m.wire('pass_sof', loadBusy.not().and(ok));
  const dropSof = m.wire('drop_sof', loadBusy.not().and(ok.not()));
  const pass = m.wire('v_pass', mux(user, passSof, dropping.not()));
  const discard = m.wire('v_discard', mux(user, dropSof, dropping));
  vm.driveData(vs.data);
  vm.driveLast(vs.lastSig!);
  vm.driveUser(user);
  vm.driveValid(vs.valid.and(pass));
  const vReady = m.wire('v_ready', pass.and(vm.readySig!).or(discard));
  vs.driveReady(vReady);
  const vSof = m.wire('v_sof_accept', vs.valid.and(vReady).and(user));
  m.when(vSof, () => dropping.set(dropSof));
  const errNoQ = m.regInit('err_no_q', 1, 0);
  errNoQ.set(vSof.and(dropSof));
  errNo.set(errNoQ);

  // ---- frames in flight --------------------------------------------------------------------------
  const W1 = p.dimBits + 1;
  const hrLines = m.wire('hr_lines', height.zext(W1).add(height.slice(p.dimBits - 1, 1).zext(W1), W1));
  const frameEnd = m.wire('frame_end', frames.ne(0).and(lineOut).and(lines.add(1, W1).eq(hrLines)));
  m.when(frameEnd, () => lines.set(0)).elsewhen(lineOut, () => lines.set(lines.add(1, W1)));
  const up = mux(vSof.and(passSof).and(frames.ne(7)), lit(1, 4), lit(0, 4));
  const downs = mux(frameEnd, lit(1, 4), lit(0, 4)).add(mux(dropped, lit(1, 4), lit(0, 4)), 4);
  const sum = frames.zext(4).add(up, 4);
  frames.set(mux(sum.lt(downs), lit(0, 4), sum.sub(downs, 4)).trunc(3));

  // ---- weight images ----------------------------------------------------------------------------
  const start = m.wire('img_start', imgOn.not().and(settling.not()).and(ws.valid).and(frames.eq(0)).and(chainBusy.not()).and(vs.valid.and(user).not()));
  wm.driveData(ws.data);
  wm.driveLast(ws.lastSig!);
  wm.driveValid(ws.valid.and(imgOn));
  ws.driveReady(wm.readySig!.and(imgOn));
  const wAcc = m.wire('w_accept', ws.valid.and(imgOn).and(wm.readySig!));
  const atEnd = m.wire('w_at_end', cnt.eq(p.words - 1));
  const tlast = ws.lastSig!;
  const errLenQ = m.regInit('err_len_q', 1, 0);
  errLenQ.set(wAcc.and(over.not()).and(mux(tlast, atEnd.not(), atEnd)));
  errLen.set(errLenQ);
  m.when(start, () => {
    imgOn.set(1);
    ok.set(0);
    over.set(0);
    cnt.set(0);
  }).elsewhen(wAcc, () => {
    m.when(atEnd.not(), () => cnt.set(cnt.add(1, cw)));
    m.when(tlast, () => {
      imgOn.set(0);
      settling.set(atEnd.and(over.not()));
    }).elsewhen(atEnd, () => over.set(1));
  }).elsewhen(settling.and(chainBusy.not()).and(unitsLoaded), () => {
    // Every word has left the chain (none waits between units), and each unit's w_loaded, two
    // cycles behind its last word, is high: the last unit's was low since its first word.
    settling.set(0);
    ok.set(1);
  });
  loadedOut.set(ok);
  return m;
}
