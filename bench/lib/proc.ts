// CPU and memory of another process from /proc (Linux), so a contender is measured the same
// way whether it is our collector, our agent or a peer such as Node-RED.
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second for utime/stime in /proc/<pid>/stat (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_S = 100;
const BYTES_PER_KIB = 1024;
const DEFAULT_SAMPLE_MS = 500;

export interface ProcSample {
  /** User + system CPU time so far, ms. */
  cpuMs: number;
  rssBytes: number;
}

export function procSample(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the ")" that closes the command name; utime and stime are fields 14 and 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_S, rssBytes: rssKiB * BYTES_PER_KIB };
}

export interface Usage {
  /** CPU over the window, % of one core. */
  cpuPct: number;
  rssMeanMB: number;
  rssPeakMB: number;
  seconds: number;
}

/** Samples a process until stop(); figures cover only the time between the two calls. */
export function watchProcess(pid: number, everyMs = DEFAULT_SAMPLE_MS): { stop(): Usage } {
  const first = procSample(pid);
  const started = performance.now();
  const rss: number[] = [first.rssBytes];
  let last = first;
  const timer = setInterval(() => {
    try {
      last = procSample(pid);
      rss.push(last.rssBytes);
    } catch {
      // the process ended: keep what was sampled
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      try {
        last = procSample(pid);
        rss.push(last.rssBytes);
      } catch {
        // ended
      }
      const seconds = (performance.now() - started) / 1000;
      const mb = (b: number) => b / 2 ** 20;
      return {
        cpuPct: ((last.cpuMs - first.cpuMs) / 10) / seconds,
        rssMeanMB: mb(rss.reduce((a, b) => a + b, 0) / rss.length),
        rssPeakMB: mb(Math.max(...rss)),
        seconds,
      };
    },
  };
}
