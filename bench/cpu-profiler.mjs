// Preloaded into the gateway by `npm run bench -- --profile W` (NODE_OPTIONS=--import, since Node 20 refuses
// --cpu-prof there): SIGUSR2 starts V8's sampling profiler, the next SIGUSR2 stops it and writes
// BENCH_PROFILE_DIR/<pid>.cpuprofile. Only the process that is signalled profiles, so the profile covers exactly
// the load window the bench measures.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  let session;
  process.on('SIGUSR2', () => {
    if (!session) {
      session = new Session();
      session.connect();
      session.post('Profiler.enable', () =>
        session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')),
      );
      return;
    }
    session.post('Profiler.stop', (err, result) => {
      const file = join(dir, `${process.pid}.cpuprofile`);
      if (!err) {
        writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
        renameSync(`${file}.tmp`, file);
      }
      session.disconnect();
      session = undefined;
    });
  });
}
