// One line per subcommand; keep sorted. Each module exports `command: Command`.
import { registerCommand } from '../registry.ts';

registerCommand('bench', 'run the benchmarks in bench/ and collect their JSON results', () => import('./bench.ts'));
registerCommand('camera', 'golden models of the high-speed camera pipeline: encode, decode, preview, roundtrip, rd, budget', () => import('./camera.ts'));
registerCommand('demo', 'emit the default RTL, profile the chip config, and score the golden models on real frames', () => import('./demo.ts'));
registerCommand('eval', 'evaluate the x1.5 upscalers (baselines and network) on frame folders', () => import('./eval.ts'));
registerCommand('gen', 'generate the Verilog of a hardware block (and the regfile C/TS/markdown)', () => import('./gen.ts'));
registerCommand('pnr', 'write an OpenROAD-flow-scripts sky130hd config for a design (and run it when installed)', () => import('./pnr.ts'));
registerCommand('profile', 'MACs, cycles, utilisation, memory, DRAM traffic and fps of an upscaler config', () => import('./profile.ts'));
registerCommand('sim', 'simulate a Verilog stream module under Verilator with backpressure and the AXI4-Stream monitor', () => import('./sim.ts'));
registerCommand('sweep', 'design-space sweep: profile + MAC-array synthesis over a grid of configs; table, Pareto plot, Makefile', () => import('./sweep.ts'));
registerCommand('synth', 'synthesise for Sky130 hd (Yosys) and report area, timing, power (OpenSTA)', () => import('./synth.ts'));
registerCommand('upscale', 'upscale video x1.5 with the bit-exact fixed-point network', () => import('./upscale.ts'));
registerCommand('version', 'print the tool version', () => import('./version.ts'));
