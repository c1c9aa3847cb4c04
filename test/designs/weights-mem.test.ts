// The default weights' memory init file (`screen gen --design top` -> screen_top_weights.hex +
// .json) round-trips to the constants the RTL bakes into each conv unit.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Module } from '../../generators/core/index.ts';
import { DESIGN_CATALOG } from '../../generators/designs/catalog.ts';
import { hwParams } from '../../generators/designs/upscaler/config.ts';
import { buildScreenTop } from '../../generators/designs/upscaler/top.ts';
import { stageConstants } from '../../generators/designs/upscaler/stage_weights.ts';
import { checksum, decodeWeightMemory, parseWeightHex, weightMemory, WEIGHT_FORMAT, type WeightManifest } from '../../generators/designs/upscaler/weights_mem.ts';
import { loadNetWeights } from '../../model/net/weights.ts';
import { DEFAULT_NET_WEIGHTS } from '../../model/net/upscaler.ts';
import { hasBinary } from '../helpers/tools.ts';

const net = loadNetWeights(DEFAULT_NET_WEIGHTS);
const hw = hwParams.validate({ stripeCells: 16 });

/** An instance's module by a dotted instance path below `top`. */
function childAt(top: Module, path: string): Module {
  let m = top;
  for (const name of path.split('.')) {
    const inst = m.instances.find((i) => i.name === name);
    assert.ok(inst, `no instance '${name}' in module '${m.name}' (path ${path})`);
    m = inst.child;
  }
  return m;
}

describe('default weights as a memory init file (screen_top_weights.hex)', () => {
  const gen = DESIGN_CATALOG.top.build({ stripeCells: hw.stripeCells });
  const hex = gen.extraFiles.get('screen_top_weights.hex');
  const json = gen.extraFiles.get('screen_top_weights.json');
  const top = buildScreenTop(net, hw);

  it('gen --design top emits the hex and its manifest; words, checksum and sections agree', () => {
    assert.ok(hex && json, `extra files: ${[...gen.extraFiles.keys()].join(', ')}`);
    const m = JSON.parse(json) as WeightManifest;
    const words = parseWeightHex(hex);
    assert.equal(m.format, WEIGHT_FORMAT);
    assert.equal(m.net, net.name);
    assert.equal(words.length, m.words);
    assert.equal(m.checksum, checksum(words));
    assert.deepEqual(m.stages.map((s) => s.stage), top.plan.stages.map((s) => s.name));
    // Sections tile the image: contiguous, no gaps or overlaps.
    let next = 0;
    for (const st of m.stages) {
      assert.equal(st.base, next, `${st.stage} base`);
      for (const s of st.sections) {
        assert.equal(s.base, next, `${st.stage} ${s.name} base`);
        next += s.words;
      }
      assert.equal(next - st.base, st.words);
    }
    assert.equal(next, m.words);
  });

  it('parsed back, every stage equals stageConstants and the constants of its conv unit in screen_top', () => {
    const m = JSON.parse(json!) as WeightManifest;
    const decoded = decodeWeightMemory(parseWeightHex(hex!), m);
    for (const [i, st] of top.plan.stages.entries()) {
      const want = stageConstants(net, st);
      assert.deepEqual(decoded.get(st.name), want, `stage ${st.name} vs stageConstants`);
      const p = childAt(top.module, m.stages[i].instance).params;
      assert.equal(p.block, 'conv_unit', `${m.stages[i].instance} is a conv unit`);
      const rtl = { wBits: p.wBits, weights: p.weights, bias: p.bias, M: p.M, S: p.S, lo: p.lo, hi: p.hi };
      assert.deepEqual(decoded.get(st.name), rtl, `stage ${st.name} vs the RTL constants of ${m.stages[i].instance}`);
    }
  });

  it('a changed word is caught: the decoded stage no longer matches', () => {
    const m = JSON.parse(json!) as WeightManifest;
    const words = parseWeightHex(hex!);
    const head = m.stages.find((s) => s.stage === 'head')!;
    const w = head.sections.find((s) => s.name === 'weights')!;
    words[w.base + 3] = (words[w.base + 3] ^ 0x0100) >>> 0; // weight 13 of the head, bit 0
    const bad = decodeWeightMemory(words, m).get('head')!;
    const want = stageConstants(net, top.plan.stages.find((s) => s.name === 'head')!);
    const diff = bad.weights.flatMap((v, i) => (v !== want.weights[i] ? [i] : []));
    assert.deepEqual(diff, [13]);
    assert.throws(() => parseWeightHex('@0\n0000000g\n', 'x.hex'), /x\.hex:2: '0000000g' is not a 32-bit hex word/);
    assert.throws(() => decodeWeightMemory(words.slice(0, 150), m), /stage feat0 bias: words 0x90\.\.0x9f are missing/);
  });

  it('Verilog $readmemh loads the file word for word (Icarus)', function () {
    if (!hasBinary('iverilog')) this.skip();
    const words = parseWeightHex(hex!);
    const dir = mkdtempSync(join(tmpdir(), 'screen-weights-'));
    try {
      writeFileSync(join(dir, 'w.hex'), hex!);
      writeFileSync(join(dir, 'tb.v'), `module tb; reg [31:0] mem [0:${words.length - 1}]; integer i;
  initial begin $readmemh("w.hex", mem); for (i = 0; i < ${words.length}; i = i + 1) $display("%h", mem[i]); $finish; end
endmodule\n`);
      execFileSync('iverilog', ['-g2005', '-o', join(dir, 'tb.vvp'), join(dir, 'tb.v')]);
      const out = execFileSync('vvp', ['-n', join(dir, 'tb.vvp')], { cwd: dir, encoding: 'utf8' });
      const read = out.split('\n').filter((l) => /^[0-9a-fx]{8}$/.test(l));
      assert.deepEqual(read, words.map((w) => w.toString(16).padStart(8, '0')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the image does not depend on the hardware knobs, only on the weights', () => {
    const other = buildScreenTop(net, hwParams.validate({ stripeCells: 24, cellCycles: 8 }));
    assert.deepEqual(weightMemory(net, other.plan).words, parseWeightHex(hex!));
  });
});
