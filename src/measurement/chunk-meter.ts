/**
 * Wall and CPU time of a strategy's timed chunks, added up across rounds. CPU time is the
 * whole process's (every thread): dawn.node spins the event loop while GPU work is pending,
 * so a strategy can look fast while it keeps a core busy, and this is where that shows.
 */
export class ChunkMeter {
  wallNs = 0;
  processCpuNs = 0;

  async measure<T>(work: () => Promise<T>): Promise<T> {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.wallNs += Number(process.hrtime.bigint() - start);
      const used = process.cpuUsage(cpu);
      this.processCpuNs += (used.user + used.system) * 1000;
    }
  }
}
