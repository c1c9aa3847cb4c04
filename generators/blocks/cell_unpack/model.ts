// Bit-exact reference model of cell_unpack (README.md): a stream of HR cells (9 uint8 pixels of
// the 3x3 block a grid cell produces, channel 3*py + px) becomes HR pixels in raster order,
// keeping only the owned cell columns [ownLo, ownHi) of each grid row.

export interface CellUnpackParams {
  /** Cells per grid row at most (bank depth). */
  maxCells: number;
  /** Width of the cfg inputs. */
  dimBits: number;
  /** Bits per HR pixel (8 = luma, 24 = {Cr, Cb, Y}); default 8. */
  pixelBits?: 8 | 24;
}

export interface CellUnpackCfg {
  /** Cells per grid row of the stripe. */
  widthCells: number;
  /** First owned cell column. */
  ownLo: number;
  /** One past the last owned cell column. */
  ownHi: number;
}

/** One accepted s_axis beat: HR pixel (3i+py, 3j+px) in ch[3*py + px]. tlast is not used (rows are counted). */
export interface HrCellBeat {
  ch: readonly number[];
  user: boolean;
  last?: boolean;
}

/** One m_axis beat: an HR pixel; tuser on the frame's first pixel, tlast on the last pixel of each HR row. */
export interface HrPixelBeat {
  pix: number;
  last: boolean;
  user: boolean;
}

/** Throws a RangeError unless 0 <= ownLo < ownHi <= widthCells <= maxCells (the RTL's precondition). */
export function checkUnpackCfg(p: CellUnpackParams, c: CellUnpackCfg, where: string): void {
  for (const [k, v] of Object.entries(c))
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** p.dimBits) throw new RangeError(`${where}: cfg ${k} = ${v} does not fit the ${p.dimBits}-bit cfg input`);
  if (!(c.ownLo < c.ownHi && c.ownHi <= c.widthCells && c.widthCells <= p.maxCells))
    throw new RangeError(`${where}: cfg needs 0 <= ownLo < ownHi <= widthCells <= maxCells = ${p.maxCells}; got ownLo = ${c.ownLo}, ownHi = ${c.ownHi}, widthCells = ${c.widthCells}`);
}

/**
 * HR pixels for a list of accepted cell beats. A tuser beat starts a frame (and a grid row) and
 * samples the cfg (`cfg`, or `cfg(i)` for beat i); rows then follow every widthCells cells.
 * Cells before the first tuser after reset are dropped; a tuser in the middle of a row abandons
 * that row. Only complete rows are output.
 */
export function cellUnpackModel(p: CellUnpackParams, beats: readonly HrCellBeat[], cfg: CellUnpackCfg | ((beat: number) => CellUnpackCfg)): HrPixelBeat[] {
  const cfgAt = typeof cfg === 'function' ? cfg : () => cfg;
  const PB = p.pixelBits ?? 8;
  const out: HrPixelBeat[] = [];
  let c: CellUnpackCfg | undefined;
  let row: (readonly number[])[] = [];
  let rowSof = false;
  beats.forEach((b, i) => {
    if (b.ch.length !== 9 || b.ch.some((v) => !Number.isInteger(v) || v < 0 || v >= 2 ** PB)) throw new RangeError(`cell_unpack model: beat ${i}: expected 9 unsigned ${PB}-bit channels, got [${b.ch.join(', ')}]`);
    if (b.user) {
      c = cfgAt(i);
      checkUnpackCfg(p, c, `cell_unpack model: beat ${i}`);
      row = [];
      rowSof = true;
    }
    if (!c) return;
    row.push(b.ch);
    if (row.length < c.widthCells) return;
    for (let py = 0; py < 3; py++)
      for (let j = c.ownLo; j < c.ownHi; j++)
        for (let px = 0; px < 3; px++)
          out.push({ pix: row[j][3 * py + px], last: j === c.ownHi - 1 && px === 2, user: rowSof && py === 0 && j === c.ownLo && px === 0 });
    row = [];
    rowSof = false;
  });
  return out;
}

/** tdata of an HR cell: channel c in bits [PB*c+PB-1:PB*c] (PB = pixelBits, default 8). */
export function packHrCell(ch: readonly number[], pixelBits = 8): bigint {
  let v = 0n;
  const mask = (1n << BigInt(pixelBits)) - 1n;
  for (let c = ch.length - 1; c >= 0; c--) v = (v << BigInt(pixelBits)) | (BigInt(ch[c]) & mask);
  return v;
}

/** HR cells of an HR image (3*gh x 3*gw, uint8, row-major) in raster order, tuser on (0,0), tlast at row ends. */
export function imageToHrCells(hr: ArrayLike<number>, gw: number, gh: number): HrCellBeat[] {
  const W = 3 * gw;
  const out: HrCellBeat[] = [];
  for (let i = 0; i < gh; i++)
    for (let j = 0; j < gw; j++)
      out.push({ ch: Array.from({ length: 9 }, (_, q) => hr[(3 * i + Math.floor(q / 3)) * W + 3 * j + (q % 3)]), user: i === 0 && j === 0, last: j === gw - 1 });
  return out;
}
