/**
 * Reads a V8 CPU profile (`node --cpu-prof`, a `.cpuprofile` file) and sums self time — samples
 * taken while a function itself was on top of the stack — per function and per area (a package
 * of this workspace, an npm package, Node's own code, the garbage collector), as shares of the
 * time the process was busy (idle samples left out).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  /** Microseconds on the monotonic clock (`process.hrtime`'s). */
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time of one function or area. */
export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  /** Share of busy time, 0–1. */
  readonly share: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  /** Whether only the samples inside the asked window were counted (false: none fell in it, so all were). */
  readonly windowed: boolean;
  readonly busyMs: number;
  readonly idleMs: number;
  readonly functions: readonly SelfTime[];
  readonly areas: readonly SelfTime[];
}

/** Where code lives, from its script URL: `@aegispay/<package>`, `app`, an npm package, `node`, or a V8 pseudo-frame. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (core)';
  const npm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (npm !== null) return `npm ${npm[1] ?? ''}`;
  const own = /\/packages\/(?:adapters\/)?([^/]+)\//.exec(url);
  if (own !== null) return `@aegispay/${own[1] ?? ''}`;
  if (url.includes('/apps/aegispay/')) return 'app (apps/aegispay)';
  return url;
}

function shortUrl(url: string): string {
  const npm = /node_modules\/(.*)$/.exec(url);
  if (npm !== null) return npm[1] ?? url;
  const own = /\/((?:packages|apps)\/.*)$/.exec(url);
  return own?.[1] ?? url.replace(/^file:\/\//, '');
}

/**
 * Summarises the profile in `file`; `top` functions and areas by self time. With `window`
 * (monotonic µs, as `process.hrtime.bigint() / 1000n` reads it on this machine), only the samples
 * taken inside it count — the measured round, not start-up or warm-up.
 */
export function summariseCpuProfile(file: string, top = 20, window?: { readonly fromUs: number; readonly toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times: number[] = [];
  let at = profile.startTime;
  for (const delta of profile.timeDeltas) times.push((at += delta));
  const inWindow = (i: number): boolean => window === undefined || ((times[i] ?? 0) >= window.fromUs && (times[i] ?? 0) <= window.toUs);
  const windowed = window !== undefined && times.some((_, i) => inWindow(i));
  const perFunction = new Map<string, number>();
  const perArea = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (node === undefined || (windowed && !inWindow(i))) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      return;
    }
    busyUs += us;
    const name = url === '' ? functionName : `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
    perFunction.set(name, (perFunction.get(name) ?? 0) + us);
    const area = areaOf(url, functionName);
    perArea.set(area, (perArea.get(area) ?? 0) + us);
  });
  const ranked = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1_000, share: busyUs === 0 ? 0 : us / busyUs }));
  return { windowed, busyMs: busyUs / 1_000, idleMs: idleUs / 1_000, functions: ranked(perFunction), areas: ranked(perArea) };
}
