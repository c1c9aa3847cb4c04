// `screen demo`: the main job in one command — emit the default RTL, profile the default
// chip config, simulate the accelerator RTL against the golden model on a real crop, and run the
// golden models on real video frames (quality vs baselines).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, type CommandContext, type CommandResult, UsageError, intOption, stringOption } from '../command.ts';

const DEFAULT_FRAMES = fileURLToPath(new URL('../../../shared/data/davis480p/val/blackswan', import.meta.url));

async function step(ctx: CommandContext, title: string, load: () => Promise<{ command: Command }>, opts: CommandContext['opts']): Promise<CommandResult> {
  ctx.log(`\n== ${title}`);
  const { command } = await load();
  const res = await command.run({ ...ctx, opts: { ...opts, json: ctx.json }, positionals: [] });
  if (!ctx.json && res.text) ctx.log(res.text);
  return res;
}

export const command: Command = {
  name: 'demo',
  summary: 'emit the default RTL, profile the chip, simulate it on real frames, score the golden models',
  usage: '[--frames DIR] [--max-frames N] [--out DIR] [--json]',
  options: {
    frames: { type: 'string', arg: 'DIR', help: 'frames to evaluate on (default: ../shared/data/davis480p/val/blackswan)' },
    'max-frames': { type: 'string', arg: 'N', default: '8', help: 'frames to evaluate' },
    out: { type: 'string', arg: 'DIR', default: 'build/demo', help: 'where RTL and the HTML report go' },
  },
  async run(ctx) {
    const frames = stringOption(ctx.opts, 'frames', DEFAULT_FRAMES)!;
    if (!existsSync(frames)) throw new UsageError(`frames folder not found: ${frames} (pass --frames DIR)`);
    const maxFrames = intOption(ctx.opts, 'max-frames', 8, 1, 100000);
    const out = stringOption(ctx.opts, 'out', 'build/demo')!;
    const gen = await step(ctx, 'gen: default blocks -> ' + `${out}/rtl`, () => import('./gen.ts'), { out: `${out}/rtl` });
    const profile = await step(ctx, 'profile: default chip config (720p -> 1080p)', () => import('./profile.ts'), {});
    const sim = await step(ctx, `sim: the accelerator RTL (Verilator) vs the golden model, 2 frames of ${frames}, LR 128x64 crop`, () => import('./sim.ts'), { frames, crop: '128x64', 'max-frames': '2' });
    const evalRes = await step(ctx, `eval: ${maxFrames} frames of ${frames}`, () => import('./eval.ts'), { frames, 'max-frames': String(maxFrames), report: `${out}/report` });
    // The profile's verdict (30 fps or not) is reported, not a failure of the demo itself.
    const exitCode = gen.exitCode === 0 && sim.exitCode === 0 && evalRes.exitCode === 0 ? 0 : 1;
    return { exitCode, json: { gen: gen.json, profile: profile.json, sim: sim.json, eval: evalRes.json }, text: `demo done: RTL in ${out}/rtl, report in ${out}/report/index.html` };
  },
};
