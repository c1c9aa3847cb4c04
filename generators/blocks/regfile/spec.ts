// The ONE description of an AXI4-Lite register file. The Verilog slave, the C header, the
// TypeScript driver and the markdown table are all generated from a RegFileSpec.

export type Access = 'RW' | 'RO' | 'W1C' | 'WO';
export const ACCESS_KINDS: readonly Access[] = ['RW', 'RO', 'W1C', 'WO'];

export interface FieldSpec {
  /** lower_snake_case, unique within its register. */
  name: string;
  /** Bit range [msb:lsb] inside the 32-bit register. */
  msb: number;
  lsb: number;
  /** Value after reset (RW, W1C, WO; RO fields read the hardware input). Default 0. */
  reset?: number;
  doc: string;
}

export interface RegisterSpec {
  /** lower_snake_case, unique in the file. */
  name: string;
  /** Byte offset, a multiple of 4. */
  offset: number;
  access: Access;
  doc: string;
  fields: FieldSpec[];
}

export interface RegFileSpec {
  /** Module/driver base name, lower_snake_case (e.g. `screen_regs`). */
  name: string;
  /** Width of the AXI4-Lite address (byte addresses): offsets must be below 2^addrBits. */
  addrBits: number;
  doc: string;
  registers: RegisterSpec[];
}

export function fieldWidth(f: FieldSpec): number {
  return f.msb - f.lsb + 1;
}

/** Mask of the field in register position, as an unsigned 32-bit number. */
export function fieldMask(f: FieldSpec): number {
  return (fieldWidth(f) === 32 ? 0xffffffff : ((2 ** fieldWidth(f) - 1) * 2 ** f.lsb)) >>> 0;
}

/** The register's reset value assembled from its fields' resets (RO fields read 0 here). */
export function registerReset(r: RegisterSpec): number {
  let v = 0;
  if (r.access === 'RO') return 0;
  for (const f of r.fields) v = (v + (f.reset ?? 0) * 2 ** f.lsb) >>> 0;
  return v >>> 0;
}

export function upperSnake(s: string): string {
  return s.toUpperCase();
}

export function camel(s: string, upperFirst = false): string {
  const c = s.replace(/_([a-z0-9])/g, (_m, ch: string) => ch.toUpperCase());
  return upperFirst ? c.charAt(0).toUpperCase() + c.slice(1) : c;
}

export class RegFileSpecError extends Error {
  readonly code = 'E_REGFILE_SPEC';
  readonly exitCode = 2;
  constructor(
    readonly specName: string,
    readonly violations: string[],
  ) {
    super(`register file '${specName}': ${violations.length} problem(s):\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    this.name = 'RegFileSpecError';
  }
}

const IDENT = /^[a-z][a-z0-9_]*$/;
// Names that would clash in Verilog, C or TypeScript output.
const RESERVED = new Set(['reg', 'wire', 'input', 'output', 'module', 'begin', 'end', 'always', 'assign', 'int', 'char', 'void', 'class', 'const', 'default', 'return', 'switch', 'case', 'new', 'delete', 'this', 'function', 'var', 'let']);

/** Every violation in the description, or [] when it is valid. */
export function checkRegFileSpec(s: RegFileSpec): string[] {
  const v: string[] = [];
  if (!IDENT.test(s.name)) v.push(`name '${s.name}' must be lower_snake_case`);
  if (!Number.isInteger(s.addrBits) || s.addrBits < 3 || s.addrBits > 32) v.push(`addrBits ${s.addrBits} must be an integer in [3, 32]`);
  if (s.registers.length === 0) v.push('has no registers');
  const names = new Map<string, number>();
  const offsets = new Map<number, string>();
  s.registers.forEach((r, ri) => {
    const where = `register ${ri} '${r.name}'`;
    if (!IDENT.test(r.name) || RESERVED.has(r.name)) v.push(`${where}: name must be lower_snake_case and not a Verilog/C/TS keyword`);
    if (names.has(r.name)) v.push(`${where}: name duplicates register ${names.get(r.name)}`);
    names.set(r.name, ri);
    if (!Number.isInteger(r.offset) || r.offset < 0 || r.offset % 4 !== 0) v.push(`${where}: offset ${r.offset} must be a non-negative multiple of 4`);
    else if (r.offset >= 2 ** s.addrBits) v.push(`${where}: offset 0x${r.offset.toString(16)} does not fit addrBits=${s.addrBits}`);
    if (offsets.has(r.offset)) v.push(`${where}: offset 0x${r.offset.toString(16)} already used by '${offsets.get(r.offset)}'`);
    offsets.set(r.offset, r.name);
    if (!ACCESS_KINDS.includes(r.access)) v.push(`${where}: access '${r.access}' must be one of ${ACCESS_KINDS.join(', ')}`);
    if (r.fields.length === 0) v.push(`${where}: has no fields`);
    const fnames = new Set<string>();
    let used = 0n;
    r.fields.forEach((f, fi) => {
      const fw = `${where} field ${fi} '${f.name}'`;
      if (!IDENT.test(f.name) || RESERVED.has(f.name)) v.push(`${fw}: name must be lower_snake_case and not a keyword`);
      if (fnames.has(f.name)) v.push(`${fw}: duplicate field name`);
      fnames.add(f.name);
      if (!Number.isInteger(f.lsb) || !Number.isInteger(f.msb) || f.lsb < 0 || f.msb > 31 || f.msb < f.lsb) {
        v.push(`${fw}: bit range [${f.msb}:${f.lsb}] must satisfy 0 <= lsb <= msb <= 31`);
        return;
      }
      const m = ((1n << BigInt(f.msb - f.lsb + 1)) - 1n) << BigInt(f.lsb);
      if ((used & m) !== 0n) v.push(`${fw}: bits [${f.msb}:${f.lsb}] overlap another field`);
      used |= m;
      const rv = f.reset ?? 0;
      if (!Number.isInteger(rv) || rv < 0 || rv >= 2 ** (f.msb - f.lsb + 1)) v.push(`${fw}: reset ${rv} does not fit ${f.msb - f.lsb + 1} bits`);
      if (r.access === 'RO' && f.reset !== undefined && f.reset !== 0) v.push(`${fw}: RO fields read the hardware input and take no reset value`);
    });
  });
  return v;
}

/** Throws RegFileSpecError listing every violation. Returns registers sorted by offset. */
export function validateRegFileSpec(s: RegFileSpec): RegFileSpec {
  const v = checkRegFileSpec(s);
  if (v.length) throw new RegFileSpecError(s.name, v);
  return { ...s, registers: [...s.registers].sort((a, b) => a.offset - b.offset) };
}
