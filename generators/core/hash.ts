// Canonical JSON and the config hash stamped into generated RTL, C headers and golden models.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level; bigints become decimal strings. Stable across runs. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value, '$'));
}

function normalize(v: unknown, where: string): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: non-finite number at ${where}`);
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return null;
  if (Array.isArray(v)) return v.map((x, i) => normalize(x, `${where}[${i}]`));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = normalize(x, `${where}.${k}`);
    }
    return out;
  }
  throw new TypeError(`canonicalJson: cannot encode ${typeof v} at ${where}`);
}

/** sha256 of the canonical JSON of `obj`, first 16 hex digits. */
export function configHash(obj: unknown): string {
  return createHash('sha256').update(canonicalJson(obj)).digest('hex').slice(0, 16);
}
