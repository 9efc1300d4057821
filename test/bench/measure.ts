import { readFileSync } from "node:fs";
import autocannon from "autocannon";

/** What the benchmark sections share: percentiles, and latency at a fixed number of connections. */
export const CONNECTIONS = 20;
export const DURATION_SECONDS = 10;

export function percentile(sorted: number[], p: number) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export async function latency(url: string, duration = DURATION_SECONDS, headers: Record<string, string> = {}) {
  const samples: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration, headers }, (error, r) =>
      error ? reject(error) : resolve(r),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) samples.push(responseTime);
    });
  });
  samples.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    perSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
  };
}

export const describeLatency = (r: Awaited<ReturnType<typeof latency>>) =>
  `p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.perSecond.toFixed(0)} req/s, ${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors`;

/**
 * CPU time a process uses from now until stopped, in ms, from /proc (100 ticks a second): its main thread
 * (where the embedded database and the pages' JavaScript run) and all its threads (the garbage collector's
 * helpers included).
 */
export function cpuMeter(pid: number) {
  const ticks = (file: string) => {
    const fields = readFileSync(file, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  const main = () => ticks(`/proc/${pid}/task/${pid}/stat`);
  const all = () => ticks(`/proc/${pid}/stat`);
  const [main0, all0] = [main(), all()];
  return () => ({ main: main() - main0, all: all() - all0 });
}

/** A process's resident memory now (VmRSS) and at its peak so far (VmHWM), in MiB, from /proc. */
export function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"))?.[1] ?? NaN) / 1024;
  return { rss: field("VmRSS"), peak: field("VmHWM") };
}

/** Sample a process's resident memory every 250 ms until stopped; the median and the most, in MB. */
export function sampleMemory(pid: number) {
  const resident: number[] = [];
  const sampler = setInterval(() => resident.push(memoryOf(pid).rss), 250);
  return () => {
    clearInterval(sampler);
    resident.push(memoryOf(pid).rss);
    resident.sort((a, b) => a - b);
    return `median ${percentile(resident, 50).toFixed(0)} MB, most ${resident.at(-1)!.toFixed(0)} MB`;
  };
}
