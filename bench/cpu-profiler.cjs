// Preloaded into the gateway by `npm run bench -- --profile W` (NODE_OPTIONS=--require, since Node 20 refuses
// --cpu-prof there): SIGUSR2 starts V8's sampling profiler, the next SIGUSR2 stops it and writes
// BENCH_PROFILE_DIR/<pid>.cpuprofile. Only the process that is signalled profiles, so the profile covers exactly
// the load window the bench measures.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.env.BENCH_PROFILE_DIR;
if (dir) {
  let session;
  process.on('SIGUSR2', () => {
    if (!session) {
      session = new Session();
      session.connect();
      session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')));
      return;
    }
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `${process.pid}.cpuprofile.tmp`), JSON.stringify(result.profile));
      require('node:fs').renameSync(join(dir, `${process.pid}.cpuprofile.tmp`), join(dir, `${process.pid}.cpuprofile`));
      session.disconnect();
      session = undefined;
    });
  });
}
