// One line per subcommand; keep sorted. Each module exports `command: Command`.
import { registerCommand } from '../registry.ts';

registerCommand('version', 'print the tool version', () => import('./version.ts'));
