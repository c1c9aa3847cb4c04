import assert from 'node:assert/strict';
import { compareBeats } from '../../sim/compare.ts';
import { beatsToFrame, davisFramePath, davisSequences, frameToBeats, loadFrame } from '../../sim/frames.ts';
import { runStreamSim } from '../../sim/run.ts';
import { fixture } from './fixture-designs.ts';

describe('sim: real DAVIS frames as video beats', () => {
  const seq = davisSequences('val')[0];
  const path = davisFramePath(seq, 0, 'val');
  const win = { x: 400, y: 200, width: 48, height: 12 };

  it('packs a frame with start-of-frame tuser and end-of-line tlast, and unpacks it', () => {
    const y = loadFrame(path, { crop: win });
    assert.equal(y.channels, 1);
    const beats = frameToBeats(y, { pixelsPerBeat: 4 });
    assert.equal(beats.length, (48 / 4) * 12);
    assert.deepEqual(beats.map((b, i) => (b.user ? i : -1)).filter((i) => i >= 0), [0]);
    assert.deepEqual(beats.map((b, i) => (b.last ? i : -1)).filter((i) => i >= 0), Array.from({ length: 12 }, (_, r) => r * 12 + 11));
    assert.equal(Number(BigInt(beats[0].data) & 0xffn), y.data[0], 'pixel 0 in the low byte');
    assert.deepEqual(beatsToFrame(beats, 48, 12, 1, { pixelsPerBeat: 4 }).data, y.data);
    assert.throws(() => frameToBeats(y, { pixelsPerBeat: 5 }), /not a multiple of pixelsPerBeat 5/);
    assert.throws(() => davisFramePath(seq, 99999), /DAVIS frame not found: .*99999\.jpg/);
  });

  it('streams a real RGB crop through the RTL and back, locating a differing pixel by x, y', async () => {
    const rgb = loadFrame(path, { format: 'rgb', crop: win });
    const beats = frameToBeats(rgb);
    const r = await runStreamSim({ design: fixture('two_stage', undefined, ['skid_buffer']), inputs: { s_axis: beats }, expect: { m_axis: beats.length }, seed: 2, backpressure: { inputGap: 0.1, outputStall: 0.3 } });
    const back = beatsToFrame(r.outputs.m_axis, win.width, win.height, 3);
    assert.deepEqual(back.data, rgb.data);
    const img = { width: win.width, height: win.height };
    assert.ok(compareBeats(beats, r.outputs.m_axis, { image: img }).ok);
    const bad = beats.map((b, i) => (i === 5 * 48 + 17 ? { ...b, data: BigInt(b.data) ^ 0x010000n } : b));
    const rep = compareBeats(bad, r.outputs.m_axis, { label: 'frame', image: img });
    assert.equal(rep.first?.x, 17);
    assert.equal(rep.first?.y, 5);
    assert.equal(rep.first?.frame, 0);
    assert.match(rep.message, /frame: first mismatch at beat 257 \(x=17, y=5, frame 0; cycle \d+\) in data/);
  });
});
