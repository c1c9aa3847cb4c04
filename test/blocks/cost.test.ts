// The flip-flop figures each builder reports (and its README states) must equal the
// registers actually elaborated, so area planning never drifts from the RTL.
import assert from 'node:assert/strict';
import { buildFifo } from '../../generators/blocks/axis/fifo.ts';
import { buildPipeSlice } from '../../generators/blocks/axis/pipe_slice.ts';
import { buildSkidBuffer } from '../../generators/blocks/axis/skid_buffer.ts';
import { buildLineBuffer } from '../../generators/blocks/line_buffer/index.ts';
import { buildMacArray } from '../../generators/blocks/mac_array/index.ts';
import { buildMacPe } from '../../generators/blocks/mac_pe/index.ts';
import { countFlops } from './rtl.ts';

describe('block cost figures', () => {
  const cases: [string, { flops: number; module: Parameters<typeof countFlops>[0] }][] = [
    ['mac_pe accumulate, pipelined', buildMacPe({})],
    ['mac_pe accumulate, 4-bit, 144 taps', buildMacPe({ weightBits: 4, taps: 144, pipeMul: false })],
    ['mac_pe cascade', buildMacPe({ mode: 'cascade', taps: 3 })],
    ['mac_array 4x3', buildMacArray({ rows: 4, cols: 3 })],
    ['mac_array 4x3 with FIFO', buildMacArray({ rows: 4, cols: 3, fifoDepth: 10 })],
    ['mac_array 16x16 int4, FIFO 5', buildMacArray({ rows: 16, cols: 16, weightBits: 4, pipeMul: false, fifoDepth: 5 })],
    ['line_buffer k3', buildLineBuffer({ k: 3, maxWidth: 100 })],
    ['line_buffer k7 1920', buildLineBuffer({ k: 7, maxWidth: 1920 })],
    ['line_buffer k3 160-bit cells, zero border, flags', buildLineBuffer({ k: 3, maxWidth: 640, pixelBits: 160, border: 'zero', flags: true })],
    ['line_buffer k3 160-bit cells, zero border, flags, single column register', buildLineBuffer({ k: 3, maxWidth: 64, pixelBits: 160, border: 'zero', flags: true, columnBuffer: 'single' })],
    ['line_buffer k5 zero border', buildLineBuffer({ k: 5, maxWidth: 100, border: 'zero' })],
    ['line_buffer k7 flags', buildLineBuffer({ k: 7, maxWidth: 100, flags: true })],
    ['axis_skid', buildSkidBuffer({ width: 9 })],
    ['axis_pipe', buildPipeSlice({ width: 9, last: false })],
    ['axis_fifo', buildFifo({ width: 9, depth: 6 })],
  ];
  for (const [name, b] of cases) it(`${name}: reported flops = elaborated flops`, () => assert.equal(b.flops, countFlops(b.module)));

  it('mac_array 16x16 design point, with and without the output FIFO', () => {
    const a = buildMacArray({ rows: 16, cols: 16, weightBits: 4 });
    assert.equal(a.latency, 16 + 16 + 1);
    assert.equal(a.flops, countFlops(a.module));
    const f = buildMacArray({ rows: 16, cols: 16, weightBits: 4, fifoDepth: 35 });
    assert.equal(f.latency, 16 + 16 + 2);
    assert.equal(f.flops - a.flops, 35 * (16 * 16 + 2) + 2 * 6 + 6 + 6, 'FIFO storage, pointers, count and credits');
  });
});
