// Preloaded into the gateway by `npm run bench -- --profile W` (NODE_OPTIONS=--import, since Node 20 refuses
// --cpu-prof there): SIGUSR2 starts V8's sampling profiler, the next SIGUSR2 stops it and writes
// BENCH_PROFILE_DIR/<pid>.cpuprofile. Only the process that is signalled profiles, so the profile covers exactly
// the load window the bench measures. With BENCH_PROFILE_KIND=alloc it samples allocations instead (V8's sampling
// heap profiler, keeping the samples of objects already collected: what a request allocates, garbage included, is
// what the young generation pays for) and writes <pid>.heapprofile.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
const kind =
  process.env.BENCH_PROFILE_KIND === 'alloc'
    ? {
        file: 'heapprofile',
        start: (session) =>
          session.post('HeapProfiler.enable', () =>
            session.post('HeapProfiler.startSampling', {
              samplingInterval: 4096,
              includeObjectsCollectedByMajorGC: true,
              includeObjectsCollectedByMinorGC: true,
            }),
          ),
        stop: 'HeapProfiler.stopSampling',
      }
    : {
        file: 'cpuprofile',
        start: (session) =>
          session.post('Profiler.enable', () =>
            session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
          ),
        stop: 'Profiler.stop',
      };
if (dir) {
  let session;
  process.on('SIGUSR2', () => {
    if (!session) {
      session = new Session();
      session.connect();
      kind.start(session);
      return;
    }
    session.post(kind.stop, (err, result) => {
      const file = join(dir, `${process.pid}.${kind.file}`);
      if (!err) {
        writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
        renameSync(`${file}.tmp`, file);
      }
      session.disconnect();
      session = undefined;
    });
  });
}
