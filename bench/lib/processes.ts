import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

export interface Server {
  url: string;
  child: ChildProcess;
  /** Spawn → first 200 on the ready path, in milliseconds. */
  startupMs: number;
  /** The process that serves (tsx runs the script in a child of the process it was started as). */
  pid(): number;
  /** Peak resident memory of the serving process (VmHWM), in MB. */
  peakRssMb(): number;
  /** CPU time used by the serving process so far, in ms. */
  cpuMs(): number;
  logs: string[];
  stop(): Promise<void>;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** The deepest process running `script` (tsx's launcher runs it in a child; esbuild is a grandchild). */
function servingPid(root: number, script: string): number {
  let found = root;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const k of childrenOf(pid)) {
      if (cmdline(k).includes(script)) found = k;
      queue.push(k);
    }
  }
  return found;
}

/** CPU time (user + system) the process has used so far, in milliseconds (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

export function peakRssMb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Starts a TypeScript entry point the way `npm start` does (tsx) on a given port, and resolves once
 * `readyPath` answers 200. The process is killed if the benchmark exits first.
 */
export async function startProcess(
  script: string,
  port: number,
  env: Record<string, string>,
  options: { readyPath?: string; nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<Server> {
  const started = performance.now();
  // With node flags (e.g. --cpu-prof, which NODE_OPTIONS refuses) the script runs in this child
  // directly through tsx's loader instead of tsx's launcher.
  const args = options.nodeArgs?.length ? [...options.nodeArgs, '--import', 'tsx', script] : [TSX, script];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stdout?.on('data', (d: Buffer) => logs.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  let serving: number | null = null;
  const pid = () => {
    serving ??= servingPid(child.pid ?? 0, script);
    return serving;
  };
  const kill = () => {
    if (serving !== null && serving !== child.pid) {
      try {
        process.kill(serving, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  let startupMs = Number.NaN;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${logs.join('')}`);
    try {
      const res = await fetch(`${url}${options.readyPath ?? '/healthz'}`);
      await res.arrayBuffer();
      if (res.status === 200) {
        startupMs = performance.now() - started;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  if (Number.isNaN(startupMs)) {
    kill();
    throw new Error(`${script} did not answer within the timeout:\n${logs.join('')}`);
  }
  pid();
  return {
    url,
    child,
    startupMs,
    pid,
    peakRssMb: () => peakRssMb(pid()),
    cpuMs: () => cpuMs(pid()),
    logs,
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      // The serving process gets SIGTERM itself so it shuts down (and writes a --cpu-prof profile).
      const p = pid();
      try {
        process.kill(p, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

export function hasFile(path: string): boolean {
  return existsSync(path);
}

/** For a server the benchmark starts: exit once the process that started it is gone. */
export function exitWithParent(): void {
  const parent = process.ppid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 2000).unref();
}
