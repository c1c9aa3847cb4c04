// Stream layout of the whole-frame camera designs (frame_encoder.ts input, frame_decoder.ts
// output): a Bayer mosaic as 2x8 tiles, one per beat, row pairs top to bottom, 8 columns each left
// to right; lane i = even row column i, lane 8 + i = the odd row below (lane 0 in the low bits,
// 10 bits each); tlast ends a row pair, tuser marks the frame's first tile.
import { packLanes } from '../../blocks/bits.ts';
import type { Mosaic } from '../../../model/camera/bayer.ts';
import { FRAME_TILE } from './frame_encoder.ts';

export interface TileBeat {
  data: bigint;
  last: boolean;
  user: boolean;
}

export function mosaicTiles(mo: Mosaic): TileBeat[] {
  const { rows, cols } = FRAME_TILE;
  if (mo.width % cols || mo.height % rows) throw new RangeError(`mosaic ${mo.width}x${mo.height} is not a whole number of ${rows}x${cols} tiles`);
  const out: TileBeat[] = [];
  for (let y = 0; y < mo.height; y += rows)
    for (let x = 0; x < mo.width; x += cols) {
      const lanes = [...mo.data.subarray(y * mo.width + x, y * mo.width + x + cols), ...mo.data.subarray((y + 1) * mo.width + x, (y + 1) * mo.width + x + cols)];
      out.push({ data: packLanes(lanes, 10), last: x + cols === mo.width, user: x === 0 && y === 0 });
    }
  return out;
}
