/**
 * Summarises V8 CPU profiles (`npm run bench -- --profile DIR` writes them): self time per function
 * and per file, heaviest first. `tsx bench/profile-summary.ts DIR-or-FILE [top]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function summarise(profile: Profile, top = 30): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)?.callFrame;
    if (!f) continue;
    const url = f.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/') || '(native)';
    const name = `${f.functionName || '(anonymous)'} ${url}:${f.lineNumber + 1}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const pkg = url.startsWith('node_modules/')
      ? url
          .split('/')
          .slice(0, url.split('/')[1]?.startsWith('@') ? 3 : 2)
          .join('/')
      : url;
    file.set(pkg, (file.get(pkg) ?? 0) + us);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `total ${(total / 1e6).toFixed(1)} s sampled\n\n-- by function (self)\n${fmt(fn)}\n\n-- by file/package (self)\n${fmt(file)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2] ?? '.';
  const files = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(target, f))
    : [target];
  const biggest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!biggest) throw new Error(`no .cpuprofile in ${target}`);
  console.log(biggest);
  console.log(summarise(JSON.parse(readFileSync(biggest, 'utf8')) as Profile, Number(process.argv[3] ?? 30)));
}
