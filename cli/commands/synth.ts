// `screen synth`: Verilog -> Yosys (Sky130 hd) -> OpenSTA; area, timing, power, fanout.
import { join, resolve } from 'node:path';
import { choiceOption, intOption, numOption, stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { DESIGN_SOURCE_OPTIONS, resolveSources } from '../design-sources.ts';
import { CORNERS, type Corner } from '../../flows/pdk.ts';
import { REPO_ROOT } from '../../flows/paths.ts';
import { FIXTURE_DESIGNS } from '../../flows/synth/designs.ts';
import type { MacroKind } from '../../flows/synth/memory.ts';
import { MACRO_DESIGNS, MACRO_MIN_DEPTH, MEMORY_IMPLS, type MemoryImpl } from '../../flows/synth/macros.ts';
import { formatSynthReport } from '../../flows/synth/format.ts';
import { synthesize, type SynthOptions } from '../../flows/synth/run.ts';
import { ADDERS, type AdderArch } from '../../flows/synth/script.ts';

export const command: Command = {
  name: 'synth',
  summary: 'synthesise a design for Sky130 hd (Yosys) and report area, timing, power (OpenSTA)',
  usage: '--design <name> [--rows R --cols C ...] [--verilog <file> ... --top <module>] [--corner tt|ss] [--clock-mhz 180]',
  options: {
    design: { type: 'string', arg: 'NAME', help: `design (default mac-array): ${FIXTURE_DESIGNS.join(', ')}, any design 'screen gen' knows, or a name for --verilog files` },
    ...DESIGN_SOURCE_OPTIONS,
    corner: { type: 'string', arg: 'tt|ss', default: 'tt', help: 'liberty corner: tt 25C 1.80V, ss 100C 1.60V' },
    'clock-mhz': { type: 'string', arg: 'MHZ', default: '180', help: 'target clock' },
    adder: { type: 'string', arg: 'ripple|kogge-stone', default: 'ripple', help: 'carry chains: Yosys ripple, or Kogge-Stone parallel prefix (faster, a little larger)' },
    buffering: { type: 'string', arg: 'on|off', default: 'on', help: 'ABC fanout buffering and gate sizing (buffer; upsize; dnsize, as ORFS synthesis does)' },
    flatten: { type: 'boolean', help: 'flatten before mapping (cross-module optimisation; area is then reported for the top only)' },
    out: { type: 'string', arg: 'DIR', help: 'work directory (default build/synth/<design>-<corner>-<mhz>)' },
    'pdk-root': { type: 'string', arg: 'DIR', help: 'PDK root (default $PDK_ROOT, else ../shared/pdk)' },
    yosys: { type: 'string', arg: 'native|yowasp', help: 'Yosys engine (default native when installed, else @yowasp/yosys)' },
    vcd: { type: 'string', arg: 'FILE', help: 'activity from this VCD (top-level input toggle rates) instead of the default' },
    activity: { type: 'string', arg: 'A', default: '0.1', help: 'default input toggles per cycle when no VCD is given' },
    memories: { type: 'string', arg: 'macro|flops', help: `inferred RAMs at least ${MACRO_MIN_DEPTH} words deep: black-box SRAM macros (area from published figures) or flip-flops; default macro for ${MACRO_DESIGNS.join(', ')}, flops otherwise` },
    'sta-corners': { type: 'string', arg: 'LIST', help: 'also time the same netlist at these corners, e.g. tt,ss (default: --corner only)' },
    'sram-bits': { type: 'string', arg: 'N', help: 'extra memory bits kept as SRAM macros outside the netlist (area from published figures)' },
    'sram-kind': { type: 'string', arg: 'openram|dffram', default: 'openram', help: 'macro type for --memories macro and --sram-bits' },
    'clock-port': { type: 'string', arg: 'PORT', default: 'clk', help: 'clock port' },
    'reset-port': { type: 'string', arg: 'PORT', help: 'reset port, given a false path; default rst_n when present' },
    'io-fraction': { type: 'string', arg: 'F', default: '0.2', help: 'input/output delay as a fraction of the period' },
    'allow-violations': { type: 'boolean', help: 'exit 0 even when timing is not met' },
  },
  details: `
Sky130 hd cells come from $PDK_ROOT/sky130A/libs.ref/sky130_fd_sc_hd/lib (volare / open_pdks
layout); without PDK_ROOT the repo's ../shared/pdk is used. Needs 'yosys' (apt-get install yosys)
or @yowasp/yosys (npm ci), and OpenSTA 'sta' (apt-get install opensta).
Exit 1 when the design misses the clock (worst slack < 0) unless --allow-violations.
Timing assumes ideal clocks and no wire load model (wires free): see flows/README.md.`,
  async run(ctx: CommandContext) {
    // Default (`npm run synth`): the chip's MAC array, 16x16 int8 x int8, the largest block there is today.
    const design = stringOption(ctx.opts, 'design') ?? (ctx.opts.verilog ? undefined : 'mac-array');
    if (!design) throw new UsageError("--design NAME is required with --verilog FILE ...");
    if (!/^[\w.-]+$/.test(design)) throw new UsageError(`--design must be a plain name (letters, digits, _ . -), got '${design}'`);
    const corner = choiceOption<Corner>(ctx.opts, 'corner', 'tt', CORNERS);
    const clockMhz = numOption(ctx.opts, 'clock-mhz', 180, 1, 2000);
    const workDir = resolve(stringOption(ctx.opts, 'out') ?? join(REPO_ROOT, 'build', 'synth', `${design}-${corner}-${clockMhz}`));
    const yosys = stringOption(ctx.opts, 'yosys');
    if (yosys !== undefined && yosys !== 'native' && yosys !== 'yowasp') throw new UsageError(`--yosys must be native or yowasp, got '${yosys}'`);
    const sramBits = intOption(ctx.opts, 'sram-bits', 0, 0, 1 << 30);
    const sramKind = choiceOption<MacroKind>(ctx.opts, 'sram-kind', 'openram', ['openram', 'dffram']);
    const memories = choiceOption<MemoryImpl>(ctx.opts, 'memories', MACRO_DESIGNS.includes(design) ? 'macro' : 'flops', MEMORY_IMPLS);
    const staCorners = (stringOption(ctx.opts, 'sta-corners') ?? corner).split(',').map((c) => c.trim());
    for (const c of staCorners) if (!CORNERS.includes(c as Corner)) throw new UsageError(`--sta-corners takes ${CORNERS.join(', ')} (comma-separated), got '${c}'`);

    const src = resolveSources(ctx, design, workDir);
    const opts: SynthOptions = {
      design,
      ...src,
      corner,
      clockMhz,
      workDir,
      pdkRoot: stringOption(ctx.opts, 'pdk-root'),
      flatten: Boolean(ctx.opts.flatten),
      adder: choiceOption<AdderArch>(ctx.opts, 'adder', 'ripple', ADDERS),
      buffering: choiceOption(ctx.opts, 'buffering', 'on', ['on', 'off']) === 'on',
      engine: yosys,
      inputActivity: numOption(ctx.opts, 'activity', 0.1, 0, 2),
      vcd: stringOption(ctx.opts, 'vcd'),
      memories,
      macroKind: sramKind,
      staCorners: staCorners as Corner[],
      macros: sramBits ? [{ kind: sramKind, bits: sramBits }] : [],
      clockPort: stringOption(ctx.opts, 'clock-port'),
      resetPort: stringOption(ctx.opts, 'reset-port'),
      ioFraction: numOption(ctx.opts, 'io-fraction', 0.2, 0, 0.9),
      log: ctx.log,
    };
    const rep = await synthesize(opts);
    const met = rep.worst_slack_ns >= 0;
    return { exitCode: met || ctx.opts['allow-violations'] ? 0 : 1, json: rep, text: formatSynthReport(rep) };
  },
};
