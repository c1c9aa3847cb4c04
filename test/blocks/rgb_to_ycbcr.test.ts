// rgb_to_ycbcr: the block model equals model/color.ts (yInt, cbInt, crInt) on every 24-bit
// input, and the RTL equals the model on real frame pixels plus corner values under backpressure.
import assert from 'node:assert/strict';
import { buildRgbToYcbcr, RGB_TO_YCBCR_LATENCY } from '../../generators/blocks/rgb_to_ycbcr/index.ts';
import { packRgb, rgbToYcbcrPixel, rgbToYcbcrWord } from '../../generators/blocks/rgb_to_ycbcr/model.ts';
import { cbInt, crInt, yInt } from '../../model/color.ts';
import { assertSimCompare } from '../../sim/index.ts';
import { realAndCornerBeats } from './color_beats.ts';
import { hasBinary, yosysSynthCheck } from '../helpers/tools.ts';
import { countFlops, emitToTemp, lintProblems, simDesign } from './rtl.ts';

describe('rgb_to_ycbcr model', () => {
  it('equals color.ts yInt/cbInt/crInt on all 2^24 RGB inputs', () => {
    let bad = 0;
    for (let b = 0; b < 256; b++)
      for (let g = 0; g < 256; g++)
        for (let r = 0; r < 256; r++) {
          const [y, cb, cr] = rgbToYcbcrPixel(r, g, b);
          if (y !== yInt(r, g, b) || cb !== cbInt(r, g, b) || cr !== crInt(r, g, b)) bad++;
        }
    assert.equal(bad, 0);
    assert.equal(rgbToYcbcrWord(packRgb(255, 255, 255)), 235n | (128n << 8n) | (128n << 16n));
    assert.throws(() => rgbToYcbcrWord(1 << 24), /not an unsigned 24-bit/);
  });
});

describe('rgb_to_ycbcr RTL', function () {
  if (!hasBinary('verilator')) return;

  it('is lint-clean, reports its flops, no output depends on m_axis_tready', () => {
    const b = buildRgbToYcbcr();
    const e = emitToTemp(b.module, 'rgb2ycc');
    assert.deepEqual(lintProblems(e), []);
    assert.equal(b.flops, countFlops(b.module));
    for (const [out, deps] of e.design.top.combDeps) assert.ok(!deps.has('m_axis_tready'), `${out} depends combinationally on m_axis_tready`);
    assert.deepEqual(b.module.ports.map((p) => `${p.name}:${p.width}`), ['s_axis_tdata:24', 's_axis_tvalid:1', 's_axis_tready:1', 's_axis_tlast:1', 's_axis_tuser:1', 'm_axis_tdata:24', 'm_axis_tvalid:1', 'm_axis_tready:1', 'm_axis_tlast:1', 'm_axis_tuser:1']);
  });

  it('synthesises with Yosys without warnings', async function () {
    if (!hasBinary('yosys')) this.skip();
    const e = emitToTemp(buildRgbToYcbcr().module, 'rgb2yccys');
    const r = await yosysSynthCheck(e.files, e.top);
    assert.ok(r.ok, r.problems.join('\n') || r.output.slice(-2000));
  });

  it('matches the model on a real frame crop and corner values under backpressure', async () => {
    const beats = realAndCornerBeats();
    const e = emitToTemp(buildRgbToYcbcr().module, 'rgb2yccsim');
    const rep = await assertSimCompare({
      design: simDesign(e),
      inputs: { s_axis: beats },
      model: (ins) => ({ m_axis: ins.s_axis.map((b) => ({ data: rgbToYcbcrWord(BigInt(b.data)), last: b.last, user: b.user })) }),
      compare: { label: 'rgb_to_ycbcr' },
      variants: [{ seed: 1 }, { seed: 2, backpressure: { inputGap: 0.3, outputStall: 0.5 } }, { seed: 3, backpressure: { inputGap: 0.05, outputStall: 0.85 } }],
    });
    const out = rep.runs[0].result.outputs.m_axis;
    assert.equal(out[out.length - 1].cycle - out[0].cycle, beats.length - 1, 'one beat per cycle without backpressure');
    assert.equal(out[0].cycle, 1 + RGB_TO_YCBCR_LATENCY);
  });
});
