// Bit-exact reference model of cell_pack (README.md): an LR pixel stream becomes the cell stream
// of docs/fixed-point.md section 2 (X0, space-to-depth), with the input-error recovery of issue 5
// item 5. It walks the accepted input beats with the same decision rules as the RTL, so its cells
// and error events are exactly the RTL's (timing aside).

export interface CellPackParams {
  /** Longest line in LR pixels (even). */
  maxWidth: number;
  /** Width of cfg_width / cfg_height. */
  dimBits: number;
  /** 8-bit planes per pixel (1 = luma, 3 = {Cr, Cb, Y} with Y in bits 7:0); default 1. */
  planes?: 1 | 3;
}

export interface CellPackCfg {
  /** LR pixels per line. */
  width: number;
  /** LR lines per frame. */
  height: number;
}

/** One accepted s_axis beat: a pixel of `planes` bytes (plane q in bits 8q+7:8q), tlast = end of line, tuser = start of frame. */
export interface PixelBeat {
  pix: number;
  last: boolean;
  user: boolean;
}

/** One m_axis beat: 4 int8 channels per plane (ch[4q + 2*dy + dx]), tuser on cell (0,0), tlast at row end. */
export interface CellBeat {
  ch: number[];
  last: boolean;
  user: boolean;
}

export type CellPackErrorKind = 'eol_early' | 'eol_late' | 'sof' | 'cfg';

export interface CellPackError {
  kind: CellPackErrorKind;
  /** Index (in the accepted input beats) of the beat that caused it. */
  beat: number;
}

export interface CellPackResult {
  cells: CellBeat[];
  errors: CellPackError[];
  /** Frames started (a tuser beat with a valid cfg). */
  framesStarted: number;
}

/** Error bit order on the test's error-event stream and in `errorBits`: eol_early, eol_late, sof, cfg. */
export const ERROR_KINDS: readonly CellPackErrorKind[] = ['eol_early', 'eol_late', 'sof', 'cfg'];

/** The cfg check the RTL applies when a frame starts (err_cfg otherwise). */
export function cfgValid(p: CellPackParams, c: CellPackCfg): boolean {
  for (const [k, v] of Object.entries(c))
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** p.dimBits) throw new RangeError(`cell_pack model: cfg ${k} = ${v} does not fit the ${p.dimBits}-bit cfg input`);
  const ok = (v: number) => v >= 2 && v % 2 === 0;
  return ok(c.width) && ok(c.height) && c.width <= p.maxWidth;
}

/** The planes of a pixel, each with its MSB flipped, read as int8: v - 128. */
const toInt8 = (pix: number, planes: number): number[] => Array.from({ length: planes }, (_, q) => Math.floor(pix / 2 ** (8 * q)) % 256 - 128);

/**
 * Cells and error events for a list of accepted beats. `cfg` is the configuration, or a function
 * giving the configuration in effect when beat i starts a frame (the RTL samples cfg_width /
 * cfg_height then). States: idle-report (a non-tuser beat raises err_sof once, then idle-quiet),
 * idle-quiet (non-tuser beats dropped silently), run, and the padding that completes a frame
 * after an error (no input is taken during padding).
 */
export function cellPackModel(p: CellPackParams, beats: readonly PixelBeat[], cfg: CellPackCfg | ((beat: number) => CellPackCfg)): CellPackResult {
  const cfgAt = typeof cfg === 'function' ? cfg : () => cfg;
  const NP = p.planes ?? 1;
  const cells: CellBeat[] = [];
  const errors: CellPackError[] = [];
  let state: 'idle_report' | 'idle_quiet' | 'run' = 'idle_report';
  let framesStarted = 0;
  let W = 0, H = 0, x = 0, y = 0, first = false;
  let oc = 0; // cells emitted in the current frame
  let rowEven: number[] = []; // the even row, pixels by x
  let hold = 0;
  const emit = (ch: CellBeat['ch']) => {
    const gw = W / 2;
    cells.push({ ch, last: oc % gw === gw - 1, user: oc === 0 });
    oc++;
  };
  const pad = () => {
    while (oc < (W / 2) * (H / 2)) emit(new Array(4 * NP).fill(0));
    state = 'idle_quiet';
  };
  for (let i = 0; i < beats.length; ) {
    const b = beats[i];
    if (!Number.isInteger(b.pix) || b.pix < 0 || b.pix >= 2 ** (8 * NP)) throw new RangeError(`cell_pack model: beat ${i}: pixel ${b.pix} is not an unsigned ${8 * NP}-bit value`);
    if (state !== 'run') {
      if (b.user) {
        const c = cfgAt(i);
        if (cfgValid(p, c)) {
          // The beat is not consumed here: it is pixel (0, 0) of the new frame.
          ({ width: W, height: H } = c);
          x = y = oc = 0;
          first = true;
          state = 'run';
          framesStarted++;
          continue;
        }
        errors.push({ kind: 'cfg', beat: i });
        state = 'idle_quiet';
      } else if (state === 'idle_report') {
        errors.push({ kind: 'sof', beat: i });
        state = 'idle_quiet';
      }
      i++;
      continue;
    }
    if (b.user && !first) {
      // A start of frame inside a frame: finish this one with zeros; the beat starts the next.
      errors.push({ kind: 'sof', beat: i });
      pad();
      continue;
    }
    first = false;
    const xLast = x === W - 1;
    if (b.last !== xLast) {
      errors.push({ kind: b.last ? 'eol_early' : 'eol_late', beat: i });
      pad();
      i++;
      continue;
    }
    if (y % 2 === 0) rowEven[x] = b.pix;
    else if (x % 2 === 0) hold = b.pix;
    else {
      const q = [rowEven[x - 1], rowEven[x], hold, b.pix].map((v) => toInt8(v, NP));
      emit(Array.from({ length: 4 * NP }, (_, k) => q[k % 4][Math.floor(k / 4)]));
    }
    if (xLast) {
      x = 0;
      if (y === H - 1) {
        state = 'idle_report';
        rowEven = [];
      } else y++;
    } else x++;
    i++;
  }
  return { cells, errors, framesStarted };
}

/** tdata of a cell beat: channel c in bits [8c+7:8c], two's complement. */
export function packCell(ch: readonly number[]): bigint {
  let v = 0n;
  for (let c = ch.length - 1; c >= 0; c--) v = (v << 8n) | BigInt(ch[c] & 0xff);
  return v;
}

/** The four-bit error vector of one event, in ERROR_KINDS order (bit 0 = eol_early). */
export function errorBits(kind: CellPackErrorKind): number {
  return 1 << ERROR_KINDS.indexOf(kind);
}

/** Beats of whole clean frames (tuser on the first pixel, tlast at each line end), raster order. */
export function frameBeats(y8: ArrayLike<number>, width: number, height: number): PixelBeat[] {
  const out: PixelBeat[] = [];
  for (let yy = 0; yy < height; yy++)
    for (let xx = 0; xx < width; xx++) out.push({ pix: y8[yy * width + xx], last: xx === width - 1, user: xx === 0 && yy === 0 });
  return out;
}
