// Tool helpers any test area can reuse: is a binary installed, Verilator lint, Yosys
// read + generic synth. Each returns the tool's own output so assertions can show it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const seen = new Map<string, boolean>();

/** True if `name` runs from PATH. */
export function hasBinary(name: string): boolean {
  let ok = seen.get(name);
  if (ok === undefined) {
    const r = spawnSync('sh', ['-c', `command -v ${JSON.stringify(name)}`], { encoding: 'utf8' });
    ok = r.status === 0 && r.stdout.trim() !== '';
    seen.set(name, ok);
  }
  return ok;
}

export interface ToolResult {
  ok: boolean;
  /** Warning/error lines (empty when clean). */
  problems: string[];
  output: string;
}

/** `verilator --lint-only -Wall` on the files; ok only with no warnings at all. */
export function verilatorLint(files: string[], top: string): ToolResult {
  const r = spawnSync('nice', ['-n', '5', 'verilator', '--lint-only', '-Wall', '--top-module', top, ...files], { encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const problems = output.split('\n').filter((l) => /^%(Warning|Error)/.test(l));
  return { ok: r.status === 0 && problems.length === 0, problems, output };
}

/**
 * Yosys `read_verilog; synth -top <top>`; ok only with exit 0 and no "Warning" lines.
 * Native yosys when on PATH, else @yowasp/yosys (WebAssembly, from npm).
 */
export async function yosysSynthCheck(files: string[], top: string, prefer?: 'native' | 'yowasp'): Promise<ToolResult & { engine: 'native' | 'yowasp' }> {
  const dir = mkdtempSync(join(tmpdir(), 'yosys-check-'));
  try {
    const names = files.map((f) => basename(f));
    const script = `read_verilog ${names.join(' ')}\nsynth -top ${top}\n`;
    let output: string;
    let status: number;
    let engine: 'native' | 'yowasp';
    if (prefer !== 'yowasp' && hasBinary('yosys')) {
      engine = 'native';
      const { readFileSync } = await import('node:fs');
      for (const f of files) writeFileSync(join(dir, basename(f)), readFileSync(f));
      writeFileSync(join(dir, 'check.ys'), script);
      const r = spawnSync('nice', ['-n', '5', 'yosys', '-q', '-l', 'check.log', '-s', 'check.ys'], { cwd: dir, encoding: 'utf8' });
      status = r.status ?? 1;
      output = `${r.stdout ?? ''}${r.stderr ?? ''}${readFileSync(join(dir, 'check.log'), 'utf8')}`;
    } else {
      engine = 'yowasp';
      const { runYosys } = await import('@yowasp/yosys');
      const { readFileSync } = await import('node:fs');
      const tree: Record<string, string> = { 'check.ys': script };
      for (const f of files) tree[basename(f)] = readFileSync(f, 'utf8');
      const chunks: string[] = [];
      const sink = (b: Uint8Array | null) => {
        if (b) chunks.push(Buffer.from(b).toString('utf8'));
      };
      try {
        await runYosys(['-q', '-s', 'check.ys'], tree, { stdout: sink, stderr: sink });
        status = 0;
      } catch (e) {
        status = (e as { code?: number }).code ?? 1;
      }
      output = chunks.join('');
    }
    // Yosys prints `Warning: ...`, `file.v:3: Warning: ...` and `ERROR: ...`; other lines may
    // legitimately contain those words (a module named error_count).
    const problems = output.split('\n').filter((l) => /(^|: )(Warning|ERROR):/.test(l));
    return { ok: status === 0 && problems.length === 0, problems: [...new Set(problems)], output, engine };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
