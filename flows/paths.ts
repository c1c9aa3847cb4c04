// Repository-relative locations the flows need (the repo root is two levels above this file).
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CONSTRAINTS_DIR = resolve(REPO_ROOT, 'constraints');
export const OPENROAD_DIR = resolve(REPO_ROOT, 'openroad');
export const FIXTURES_DIR = resolve(REPO_ROOT, 'test', 'flows', 'fixtures');
