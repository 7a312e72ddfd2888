// A gateway started as its own process (`npm start`, or node on the compiled start): everything it prints, the port
// from its "listening on" line, and its exit code.
import type { ChildProcess } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  /** Rejects, with what was printed, if the process exits before it listens. */
  port: Promise<number>;
  exited: Promise<number | null>;
  /** stdout and stderr so far, in the order they came. */
  output: () => string;
}

export function watchStarted(child: ChildProcess, what: string): Started {
  let out = '';
  const port = new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on http:\/\/localhost:(\d+)\/graphql/.exec(out);
      if (m) resolve(Number(m[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => reject(new Error(`${what} exited before listening:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, exited, output: () => out };
}
