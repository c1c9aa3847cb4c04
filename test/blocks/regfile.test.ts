import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVerilog } from '../../generators/core/index.ts';
import { fieldMask, regfileArtifacts, regfileHash, screenRegs, upperSnake, validateRegFileSpec, type RegFileSpec } from '../../generators/blocks/regfile/index.ts';
import { RegFileModel, RESP_DECERR, RESP_OKAY, RESP_SLVERR } from '../../generators/blocks/regfile/model.ts';
import { hasBinary } from '../helpers/tools.ts';
import { modelEvents, rtlEvents, type Txn } from './axil_tb.ts';
import { lintProblems, prng, type Emitted } from './rtl.ts';

function clone(s: RegFileSpec): RegFileSpec {
  return JSON.parse(JSON.stringify(s)) as RegFileSpec;
}

describe('regfile description', () => {
  it('reports every violation of a bad description at once', () => {
    const bad = clone(screenRegs);
    bad.registers[1].offset = 0; // duplicate of ctrl
    bad.registers[2].offset = 6; // unaligned
    bad.registers[0].fields[1].msb = 4; // overlaps quant_bits [7:4]
    bad.registers[3].fields[0].name = 'Frame';
    bad.registers[0].fields[2].reset = 99;
    assert.throws(() => validateRegFileSpec(bad), (e: Error) => {
      assert.match(e.message, /5 problem\(s\)/);
      assert.match(e.message, /offset 0x0 already used by 'ctrl'/);
      assert.match(e.message, /offset 6 must be a non-negative multiple of 4/);
      assert.match(e.message, /'quant_bits': bits \[7:4\] overlap another field/);
      assert.match(e.message, /'Frame': name must be lower_snake_case/);
      assert.match(e.message, /reset 99 does not fit 4 bits/);
      return true;
    });
  });

  it('model: DECERR for unmapped, SLVERR for RO writes, W1C clears, WO reads 0, byte strobes', () => {
    const m = new RegFileModel(screenRegs);
    assert.deepEqual(m.read(0x40), { data: 0, resp: RESP_DECERR });
    assert.equal(m.write(0x40, 1), RESP_DECERR);
    assert.equal(m.write(0x08, 0xffffffff), RESP_SLVERR);
    assert.deepEqual(m.read(0x00), { data: 0x80, resp: RESP_OKAY });
    assert.equal(m.write(0x04, 0x12345678, 0b0001), RESP_OKAY);
    assert.equal(m.read(0x04).data, ((720 << 16) | (1280 & 0xff00) | 0x78) >>> 0);
    m.hwSet('irq_status', 0b101);
    m.write(0x0c, 0b001);
    assert.equal(m.read(0x0c).data, 0b100);
    m.write(0x1c, 0xdeadbeef);
    assert.deepEqual(m.lastStrobes, ['weight_data']);
    assert.equal(m.read(0x1c).data, 0);
  });
});

describe('regfile generated artifacts', () => {
  const a = regfileArtifacts(screenRegs);
  const s = validateRegFileSpec(screenRegs);
  const h = a.files.get('screen_regs.h')!;
  const ts = a.files.get('screen_regs.ts')!;
  const md = a.files.get('screen_regs.md')!;
  const v = a.design.top.text;

  it('all four outputs carry the same config hash and the same offsets (drift check)', () => {
    assert.match(a.configHash, /^[0-9a-f]{16}$/);
    assert.equal(a.design.top.configHash, a.configHash);
    assert.ok(v.includes(`config-hash: ${a.configHash}`), 'Verilog header');
    assert.ok(h.includes(`#define SCREEN_REGS_CONFIG_HASH "${a.configHash}"`), 'C header');
    assert.ok(ts.includes(`export const CONFIG_HASH = '${a.configHash}'`), 'TS driver');
    assert.ok(md.includes(`Config hash: \`${a.configHash}\``), 'markdown');
    for (const r of s.registers) {
      const R = upperSnake(r.name);
      assert.match(h, new RegExp(`#define SCREEN_REGS_${R}_OFFSET 0x${r.offset.toString(16).toUpperCase().padStart(8, '0')}u`), `C offset of ${r.name}`);
      assert.ok(ts.includes(`${r.name}: 0x${r.offset.toString(16)}`), `TS offset of ${r.name}`);
      assert.ok(md.includes(`| 0x${r.offset.toString(16).toUpperCase().padStart(2, '0')} | ${r.name} | ${r.access} |`), `markdown row of ${r.name}`);
      assert.ok(v.includes(`s_axil_awaddr[7:2] == 6'd${r.offset >> 2}`) || r.access === 'RO', `Verilog decode of ${r.name}`);
      for (const f of r.fields) assert.ok(h.includes(`SCREEN_REGS_${R}_${upperSnake(f.name)}_MASK 0x${fieldMask(f).toString(16).toUpperCase().padStart(8, '0')}u`));
    }
  });

  it('is deterministic, and any change to the description changes every stamp', () => {
    const again = regfileArtifacts(screenRegs);
    assert.equal(again.design.top.text, v);
    for (const [k, t] of a.files) assert.equal(again.files.get(k), t, k);
    const moved = clone(screenRegs);
    moved.registers[6].offset = 0x20;
    const b = regfileArtifacts(moved);
    assert.notEqual(b.configHash, a.configHash);
    assert.notEqual(regfileHash(moved), a.configHash);
    for (const t of [...b.files.values(), b.design.top.text]) assert.ok(t.includes(b.configHash) && !t.includes(a.configHash));
  });

  it('the C header compiles and its values match the description', function () {
    if (!hasBinary('gcc')) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'screen-regs-c-'));
    writeFileSync(join(dir, 'screen_regs.h'), h);
    const asserts = s.registers.flatMap((r) => [
      `_Static_assert(SCREEN_REGS_${upperSnake(r.name)}_OFFSET == ${r.offset}u, "${r.name}");`,
      ...r.fields.map((f) => `_Static_assert(SCREEN_REGS_${upperSnake(r.name)}_${upperSnake(f.name)}_SHIFT == ${f.lsb}u && SCREEN_REGS_${upperSnake(r.name)}_${upperSnake(f.name)}_MASK == ${fieldMask(f)}u, "${r.name}.${f.name}");`),
    ]);
    writeFileSync(join(dir, 'check.c'), `#include "screen_regs.h"\n${asserts.join('\n')}\nint main(void) { return 0; }\n`);
    execFileSync('gcc', ['-std=c11', '-Wall', '-Werror', '-fsyntax-only', join(dir, 'check.c')], { cwd: dir });
  });

  it('the ts-morph driver type-checks against the model bus and reads/writes fields correctly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'screen-regs-ts-'));
    const file = join(dir, 'screen_regs.ts');
    writeFileSync(file, ts);
    // The generated file must compile on its own under strict settings.
    execFileSync(join(process.cwd(), 'node_modules', '.bin', 'tsc'), ['--strict', '--noEmit', '--target', 'es2022', '--skipLibCheck', '--types', 'node', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    type Bus = { read32(addr: number): number; write32(addr: number, value: number): void };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const mod = (await import(file)) as { ScreenRegs: new (bus: Bus) => Record<string, (...args: number[]) => Promise<any>>; CONFIG_HASH: string; OFFSETS: Record<string, number> };
    const model = new RegFileModel(screenRegs);
    const drv = new mod.ScreenRegs({ read32: (addr) => model.read(addr).data, write32: (addr, value) => void model.write(addr, value) });
    assert.equal(await drv.getCtrlQuantBits(), 8);
    await drv.setCtrlQuantBits(4);
    await drv.setCtrlEnable(1);
    assert.equal(await drv.readCtrl(), 0x41);
    await drv.setFrameSizeHeight(1080);
    assert.equal(await drv.getFrameSizeWidth(), 1280);
    assert.equal(await drv.getFrameSizeHeight(), 1080);
    model.hwSet('irq_status', 0b110);
    await drv.clearIrqStatusUnderflow();
    assert.equal(await drv.readIrqStatus(), 0b100);
    model.hwInputs.set('status', (7 << 16) | 1);
    assert.equal(await drv.getStatusFrameCount(), 7);
    await assert.rejects(() => drv.setCtrlQuantBits(16), /ctrl\.quant_bits: 16 does not fit 4 bits/);
    assert.equal(mod.CONFIG_HASH, a.configHash);
    assert.equal(mod.OFFSETS.weight_data, 0x1c);
  });
});

describe('regfile RTL', function () {
  if (!hasBinary('verilator') || !hasBinary('iverilog')) return;
  const a = regfileArtifacts(screenRegs);
  const dir = mkdtempSync(join(tmpdir(), 'screen-regs-v-'));
  const files = writeVerilog(a.design, dir);
  const e: Emitted = { design: a.design, dir, files, top: a.design.top.name };

  it('is lint-clean', () => {
    assert.deepEqual(lintProblems(e), []);
  });

  function firstDiff(exp: string[], got: string[]): string | undefined {
    for (let i = 0; i < Math.max(exp.length, got.length); i++) if (exp[i] !== got[i]) return `event ${i}: model '${exp[i]}', RTL '${got[i]}'`;
    return undefined;
  }

  it('matches the model on hand-picked AXI4-Lite transactions', () => {
    const txns: Txn[] = [
      { op: 'read', addr: 0x00 },
      { op: 'read', addr: 0x04 },
      { op: 'write', addr: 0x00, data: 0x53, strb: 0xf },
      { op: 'read', addr: 0x00 },
      { op: 'write', addr: 0x04, data: 0xabcd1234, strb: 0b0110 },
      { op: 'read', addr: 0x04 },
      { op: 'write', addr: 0x08, data: 0xffffffff, strb: 0xf }, // RO: SLVERR
      { op: 'hw', reg: 'status', value: 0x002a0001 },
      { op: 'read', addr: 0x08 },
      { op: 'hw', reg: 'irq_status', value: 0b111 },
      { op: 'write', addr: 0x0c, data: 0b010, strb: 0xf },
      { op: 'read', addr: 0x0c },
      { op: 'write', addr: 0x14, data: 0x3, strb: 0xf }, // WO: strobe
      { op: 'read', addr: 0x14 },
      { op: 'write', addr: 0x40, data: 1, strb: 0xf }, // unmapped: DECERR
      { op: 'read', addr: 0xfc },
      { op: 'read', addr: 0x1e }, // byte address inside weight_data
    ];
    const diff = firstDiff(modelEvents(screenRegs, txns), rtlEvents(screenRegs, files, e.top, txns));
    assert.equal(diff, undefined, diff);
  });

  it('matches the model on 400 random transactions', () => {
    const r = prng(99);
    const addrs = [...screenRegs.registers.map((x) => x.offset), 0x20, 0x24, 0xfc];
    const txns: Txn[] = Array.from({ length: 400 }, (): Txn => {
      const k = r.int(0, 9);
      const addr = addrs[r.int(0, addrs.length - 1)] + (r.bit(0.1) ? r.int(1, 3) : 0);
      if (k < 4) return { op: 'write', addr, data: r.u32(), strb: r.int(0, 15) };
      if (k < 8) return { op: 'read', addr };
      return k === 8 ? { op: 'hw', reg: 'irq_status', value: r.int(0, 7) } : { op: 'hw', reg: 'status', value: r.u32() };
    });
    const exp = modelEvents(screenRegs, txns);
    const diff = firstDiff(exp, rtlEvents(screenRegs, files, e.top, txns));
    assert.equal(diff, undefined, diff);
    assert.ok(exp.length > 300);
  });
});
