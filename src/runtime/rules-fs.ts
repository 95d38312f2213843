import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRulebook, type Rulebook } from '../core/rulebook.ts';

/**
 * Reads every rules file in `dir` (relative paths resolve against the working directory) and
 * compiles them. Throws `RulebookError` naming file and line when a file is invalid.
 */
export function loadRulebook(dir = 'rules'): Rulebook {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ name: entry.name, text: readFileSync(join(dir, entry.name), 'utf8') }));
  return compileRulebook(files);
}
